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

// A condition is read again at every hit of its line: each network keeps the trees of its recent expressions.
const read = new WeakMap<NetworkSpec, Map<string, Expr>>();
const KEPT = 256;

function treeOf(text: string, spec: NetworkSpec): Expr {
  let trees = read.get(spec);
  if (!trees) read.set(spec, (trees = new Map()));
  const known = trees.get(text);
  if (known) return known;
  const expr = parseFormula(text, spec);
  if (trees.size >= KEPT) trees.clear();
  trees.set(text, expr);
  return expr;
}

/** Reads and evaluates `text`; throws only ExprError (NotComputedError where the point lacks a quantity). */
export function evaluateAt(text: string, spec: NetworkSpec, stepper: Stepper): Evaluated {
  const expr = treeOf(text, spec);
  return { expr, value: evaluateExpr(expr, environmentOf(stepper), stepper.network.kernel) };
}

/** For an equation's name, the equation in the hover's notation: `BP2: Δʰ¹ = ((Wʰ²)ᵀ Δʰ²) ⊙ tanh′(Zʰ¹)`. */
export function equationLine(text: string, spec: NetworkSpec, expr: Expr): string | undefined {
  const named = equationNamed(text, spec);
  return named ? `${named.rule}: ${renderPlain(named.defines)} = ${renderPlain(expr)}` : undefined;
}
