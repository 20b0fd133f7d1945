import type { ActivationSpec } from "../../engine/index";
import type { Expr } from "./expr";

/**
 * Unicode math for VS Code's Markdown hover. One convention everywhere: a
 * layer name becomes a superscript when every character has a Unicode
 * superscript (δʰ¹, Wᵒᵘᵗ), and is written ^(name) otherwise (δ^(hidden_1)).
 */
const SUPERSCRIPT: Record<string, string> = {
  "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
  a: "ᵃ", b: "ᵇ", c: "ᶜ", d: "ᵈ", e: "ᵉ", f: "ᶠ", g: "ᵍ", h: "ʰ", i: "ⁱ", j: "ʲ", k: "ᵏ", l: "ˡ", m: "ᵐ",
  n: "ⁿ", o: "ᵒ", p: "ᵖ", r: "ʳ", s: "ˢ", t: "ᵗ", u: "ᵘ", v: "ᵛ", w: "ʷ", x: "ˣ", y: "ʸ", z: "ᶻ",
  A: "ᴬ", B: "ᴮ", D: "ᴰ", E: "ᴱ", G: "ᴳ", H: "ᴴ", I: "ᴵ", J: "ᴶ", K: "ᴷ", L: "ᴸ", M: "ᴹ", N: "ᴺ",
  O: "ᴼ", P: "ᴾ", R: "ᴿ", T: "ᵀ", U: "ᵁ", V: "ⱽ", W: "ᵂ", "+": "⁺", "-": "⁻", "(": "⁽", ")": "⁾",
};
const SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉";

/** Escapes the characters Markdown would read as emphasis or markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_<>#|]/g, (character) => `\\${character}`);
}

export function superscript(text: string): string {
  const characters = [...text];
  if (characters.length > 0 && characters.every((character) => SUPERSCRIPT[character] !== undefined)) {
    return characters.map((character) => SUPERSCRIPT[character]).join("");
  }
  return `^(${escapeMarkdown(text)})`;
}

/** A count as words read it: 1,234, or ≈ 6.3 × 10²⁹ once it is too long to write out. */
export function countText(value: number): string {
  if (!Number.isFinite(value)) return "more than 10³⁰⁸";
  if (value < 1e6) return value.toLocaleString("en-US");
  const exponent = Math.floor(Math.log10(value));
  return `≈ ${(value / 10 ** exponent).toFixed(1)} × 10${superscript(String(exponent))}`;
}

export function subscriptNumber(value: number): string {
  return String(value).split("").map((digit) => SUBSCRIPT_DIGITS[Number(digit)] ?? digit).join("");
}

/** ℝⁿ or ℝⁿˣᵐ with the sizes as superscripts. */
export function realSpace(...sizes: number[]): string {
  return `ℝ${sizes.map((size) => superscript(String(size))).join("ˣ")}`;
}

/** The activation's own name for σ, with sigmoid keeping the σ of docs/backprop.md. */
export function activationSymbol(activation: ActivationSpec): string {
  if (activation.name === "sigmoid") return "σ";
  return escapeMarkdown(activation.name);
}

export interface RenderOptions {
  /** long products show their first and last factors around ⋯ */
  maxFactors?: number;
}

const enum Precedence { Logical = -1, Compare = 0, Sum = 1, Hadamard = 2, Product = 3, Atom = 4 }

const relationSymbols: Record<string, string> = { "<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠" };

const numberText = (value: number): string => (Object.is(value, -0) ? "-0" : String(value));

interface Rendered { text: string; precedence: Precedence }

const atom = (text: string): Rendered => ({ text, precedence: Precedence.Atom });
const wrap = (part: Rendered, needed: Precedence): string => (part.precedence < needed ? `(${part.text})` : part.text);

function leaf(expr: Expr): Rendered | undefined {
  switch (expr.op) {
    case "delta": return atom(`${expr.batched ? "Δ" : "δ"}${superscript(expr.layer)}`);
    case "weightedInput": return atom(`${expr.batched ? "Z" : "z"}${superscript(expr.layer)}`);
    case "activation":
      if (expr.input) return atom(expr.batched ? "X" : "x");
      return atom(`${expr.batched ? "A" : "a"}${superscript(expr.layer)}`);
    case "target": return atom(expr.batched ? "Y" : "y");
    case "targetSum": return atom(expr.batched ? "𝟏ᵀY" : "Σⱼyⱼ");
    case "weight": return atom(`W${superscript(expr.layer)}`);
    case "bias": return atom(`b${superscript(expr.layer)}`);
    case "ones": return atom("𝟏");
    case "lossGradient": return atom("∇ₐC");
    case "slope":
      return atom(`${activationSymbol(expr.activation)}′(${expr.batched ? "Z" : "z"}${superscript(expr.layer)})`);
    case "slopeMatrix": return atom(`S${superscript(expr.layer)}`);
    case "mask": return atom(`${expr.batched ? "M" : "m"}${superscript(expr.layer)}`);
    case "maskMatrix": return atom(`diag(m${superscript(expr.layer)})`);
    case "softmaxJacobianT": return atom(`(J${superscript(expr.layer)})ᵀ`);
    case "zero": return atom("0");
    case "gradient": return atom(`∂C/∂${expr.param}${superscript(expr.layer)}`);
    case "change": return atom(`Δ${expr.param}${superscript(expr.layer)}`);
    case "number": return atom(numberText(expr.value));
    case "runScalar": return atom(expr.name === "lr" ? "η" : expr.name);
    default: return undefined;
  }
}

function renderProduct(factors: Expr[], options: RenderOptions): Rendered {
  const limit = options.maxFactors ?? Number.POSITIVE_INFINITY;
  const shown = factors.length > limit
    ? [...factors.slice(0, Math.ceil(limit / 2)).map((factor) => wrap(render(factor, options), Precedence.Product)), "⋯",
      ...factors.slice(factors.length - Math.floor(limit / 2)).map((factor) => wrap(render(factor, options), Precedence.Product))]
    : factors.map((factor) => wrap(render(factor, options), Precedence.Product));
  return { text: shown.join(" "), precedence: Precedence.Product };
}

function binary(left: Expr, symbol: string, right: Expr, precedence: Precedence, options: RenderOptions, operand = precedence): Rendered {
  const text = `${wrap(render(left, options), operand)} ${symbol} ${wrap(render(right, options), Math.max(operand, precedence + 1))}`;
  return { text, precedence };
}

function render(expr: Expr, options: RenderOptions): Rendered {
  const simple = leaf(expr);
  if (simple) return simple;
  switch (expr.op) {
    case "transpose": {
      const inner = render(expr.of, options);
      return atom(inner.text.length === 1 ? `${inner.text}ᵀ` : `(${inner.text})ᵀ`);
    }
    case "product": return renderProduct(expr.factors, options);
    case "scaled":
      return { text: `${wrap(render(expr.of, options), Precedence.Product)}·${wrap(render(expr.by, options), Precedence.Atom)}`, precedence: Precedence.Product };
    // backprop §5.2 writes ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ): a product inside ⊙ keeps its parentheses
    case "hadamard": return binary(expr.left, "⊙", expr.right, Precedence.Hadamard, options, Precedence.Atom);
    case "quotient": return binary(expr.left, "⊘", expr.right, Precedence.Hadamard, options, Precedence.Atom);
    case "difference": return binary(expr.left, "−", expr.right, Precedence.Sum, options);
    case "complement": return { text: `𝟏 − ${wrap(render(expr.of, options), Precedence.Hadamard)}`, precedence: Precedence.Sum };
    case "negate": return atom(`−${wrap(render(expr.of, options), Precedence.Atom)}`);
    case "sign": return atom(`sign(${render(expr.of, options).text})`);
    case "clip": return atom(`clip(${render(expr.of, options).text}, −${expr.bound}, ${expr.bound})`);
    case "sum": {
      const terms = expr.terms.map((term) => wrap(render(term, options), Precedence.Sum));
      if (expr.omitted > 0) terms.push(`… (${countText(expr.omitted)} more path${expr.omitted === 1 ? "" : "s"})`);
      return { text: terms.join(" + "), precedence: Precedence.Sum };
    }
    case "rows": {
      const inner = render(expr.of, options);
      const range = `[${expr.start + 1}..${expr.end}]`;
      return atom(inner.precedence === Precedence.Atom ? `${inner.text}${range}` : `(${inner.text})${range}`);
    }
    case "mean": return { text: `(1/m) ${wrap(render(expr.of, options), Precedence.Product)}`, precedence: Precedence.Product };
    case "divide": return binary(expr.left, "/", expr.right, Precedence.Product, options);
    case "compare": return binary(expr.left, relationSymbols[expr.relation]!, expr.right, Precedence.Compare, options);
    case "logical": return binary(expr.left, expr.operator === "&&" ? "∧" : "∨", expr.right, Precedence.Logical, options);
    case "not": return atom(`¬${wrap(render(expr.of, options), Precedence.Atom)}`);
    case "call": return atom(`${escapeMarkdown(expr.name)}(${expr.args.map((arg) => render(arg, options).text).join(", ")})`);
    case "index": {
      const part = (p: Expr | "all"): string => (p === "all" ? ":" : render(p, options).text);
      const at = [part(expr.row), ...(expr.column !== undefined ? [part(expr.column)] : [])].join(", ");
      return atom(`${wrap(render(expr.of, options), Precedence.Atom)}[${at}]`);
    }
    case "example": return atom(`${wrap(render(expr.of, options), Precedence.Atom)}[example ${render(expr.example, options).text}]`);
    default: return atom("?");
  }
}

/** The expression as one line of Markdown-safe Unicode math. */
export function renderExpr(expr: Expr, options: RenderOptions = {}): string {
  return render(expr, options).text;
}

/** The same line for a plain-text reader (the Debug Console): Markdown's escapes removed. */
export function renderPlain(expr: Expr, options: RenderOptions = {}): string {
  return renderExpr(expr, options).replace(/\\([\\`*_<>#|])/g, "$1");
}

/** True when the tree mentions a symbol that needs a legend line. */
export function mentions(expr: Expr, op: Expr["op"]): boolean {
  if (expr.op === op) return true;
  switch (expr.op) {
    case "transpose": case "complement": case "negate": case "mean": case "rows": case "sign": case "clip": case "not": case "index":
      return mentions(expr.of, op);
    case "example": return mentions(expr.of, op) || mentions(expr.example, op);
    case "call": return expr.args.some((arg) => mentions(arg, op));
    case "product": return expr.factors.some((factor) => mentions(factor, op));
    case "sum": return expr.terms.some((term) => mentions(term, op));
    case "hadamard": case "quotient": case "difference": case "divide": case "compare": case "logical": return mentions(expr.left, op) || mentions(expr.right, op);
    case "scaled": return mentions(expr.of, op) || mentions(expr.by, op);
    default: return false;
  }
}
