/**
 * The debugger's expressions at the current point: the text read into the
 * formula model's tree over the run's network (language/formula), evaluated
 * on the stepper's quantities with the run's kernel.
 */
import type { Stepper, NetworkSpec } from "../engine/index";
import { equationNamed, evaluateExpr, parseFormula, renderPlain, type Expr, type FormulaValue } from "../language/index";
import { environmentOf } from "./environment";

export interface Evaluated {
  expr: Expr;
  value: FormulaValue;
}

/** Reads and evaluates `text`; throws only ExprError (NotComputedError where the point lacks a quantity). */
export function evaluateAt(text: string, spec: NetworkSpec, stepper: Stepper): Evaluated {
  const expr = parseFormula(text, spec);
  return { expr, value: evaluateExpr(expr, environmentOf(stepper), stepper.network.kernel) };
}

/** For an equation's name, the equation in the hover's notation: `BP2: Δʰ¹ = (Wʰ²)ᵀΔʰ² ⊙ tanh′(Zʰ¹)`. */
export function equationLine(text: string, spec: NetworkSpec, expr: Expr): string | undefined {
  const named = equationNamed(text, spec);
  return named ? `${named.rule}: ${renderPlain(named.defines)} = ${renderPlain(expr)}` : undefined;
}
