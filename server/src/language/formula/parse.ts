/**
 * The debugger's expression language read into formula trees: names like
 * `delta.h1` and `W.out`, `'` (transpose), `*` (matrix product, or scaling by
 * a number), `.*` and `./` (elementwise), `/` (by a number), `+`, `-`,
 * comparisons, `&&`, `||`, `!`, `x[i]` and `x[i, j]` (0-based, `:` for a
 * whole row or column), `example(k).delta.h1`, functions (functions.ts), and
 * the hover's equations by name (names.ts). Each operator builds the node the
 * hover uses for it, so `(W.h2' * delta.h2) .* dtanh(z.h1)` is the hover's
 * BP2 tree for h1. Every problem is an ExprError with a plain message and,
 * where it helps, the column; nothing here throws anything else.
 */
import type { NetworkSpec } from "../../engine/index";
import { ExprError } from "./errors";
import type { Expr, Relation } from "./expr";
import { activationCalled } from "./functions";
import { bareName, qualifiedName } from "./names";

interface Token {
  text: string;
  kind: "number" | "name" | "op" | "end";
  at: number;
}

const OPS = ["&&", "||", "<=", ">=", "==", "!=", ".*", "./", "+", "-", "*", "/", "<", ">", "!", "(", ")", "[", "]", ",", "'", ".", ":"];

// Sticky patterns read at a position without copying the rest of the text (a long expression stays linear).
const NUMBER = /(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/y;
const NAME = /[\p{L}_∂][\p{L}\p{N}_]*/uy;

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    // after a name, `.5` is not a number: `W.h1` and `x.*y` read the dot as an operator
    const number = c === "." && tokens[tokens.length - 1]?.kind === "name" ? undefined : matchAt(NUMBER, text, i);
    if (number) {
      tokens.push({ text: number, kind: "number", at: i });
      i += number.length;
      continue;
    }
    const name = matchAt(NAME, text, i);
    if (name) {
      tokens.push({ text: name, kind: "name", at: i });
      i += name.length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected '${c}' at column ${i + 1}`);
    tokens.push({ text: op, kind: "op", at: i });
    i += op.length;
  }
  tokens.push({ text: "", kind: "end", at: text.length });
  return tokens;
}

type Names = { bare(name: string, single: boolean): Expr; qualified(family: string, name: string, single: boolean): Expr };

function binaryNode(op: string, left: Expr, right: Expr): Expr {
  switch (op) {
    case "&&": case "||": return { op: "logical", operator: op, left, right };
    case "+": return { op: "sum", terms: [left, right], omitted: 0 };
    case "-": return { op: "difference", left, right };
    // not flattened: `A * B * C` multiplies as written, left to right
    case "*": return { op: "product", factors: [left, right] };
    case ".*": return { op: "hadamard", left, right };
    case "/": return { op: "divide", left, right };
    case "./": return { op: "quotient", left, right };
    default: return { op: "compare", relation: op as Relation, left, right };
  }
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[], private readonly names: Names, private readonly spec: NetworkSpec | undefined) {}

  private get next(): Token {
    return this.tokens[this.i]!;
  }

  private expect(text: string): void {
    if (this.next.kind === "op" && this.next.text === text) { this.i++; return; }
    throw new ExprError(`expected '${text}' at column ${this.next.at + 1}${this.next.kind === "end" ? " (the expression ends early)" : `, found '${this.next.text}'`}`);
  }

  private isOp(...ops: string[]): string | undefined {
    return this.next.kind === "op" && ops.includes(this.next.text) ? this.tokens[this.i++]!.text : undefined;
  }

  parse(): Expr {
    if (this.next.kind === "end") throw new ExprError("the expression is empty");
    const node = this.or();
    const rest: Token = this.next;
    if (rest.kind !== "end") throw new ExprError(`unexpected '${rest.text}' at column ${rest.at + 1}`);
    return node;
  }

  private binaryLevel(ops: string[], below: () => Expr): Expr {
    let left = below();
    for (;;) {
      const op = this.isOp(...ops);
      if (!op) return left;
      left = binaryNode(op, left, below());
    }
  }

  private or = (): Expr => this.binaryLevel(["||"], this.and);
  private and = (): Expr => this.binaryLevel(["&&"], this.compare);
  private compare = (): Expr => this.binaryLevel(["<", "<=", ">", ">=", "==", "!="], this.sum);
  private sum = (): Expr => this.binaryLevel(["+", "-"], this.product);
  private product = (): Expr => this.binaryLevel(["*", ".*", "/", "./"], this.unary);

  private unary = (): Expr => {
    const op = this.isOp("-", "+", "!");
    if (!op) return this.postfix();
    const operand = this.unary();
    return op === "-" ? { op: "negate", of: operand } : op === "!" ? { op: "not", of: operand } : operand;
  };

  private postfix(): Expr {
    let node = this.primary();
    for (;;) {
      if (this.isOp("'")) { node = { op: "transpose", of: node }; continue; }
      if (this.isOp("[")) {
        const row = this.isOp(":") ? "all" : this.or();
        const column = this.isOp(",") ? (this.isOp(":") ? "all" : this.or()) : undefined;
        this.expect("]");
        node = { op: "index", of: node, row, ...(column ? { column } : {}) };
        continue;
      }
      return node;
    }
  }

  // `W.h1` or `x`, after the first name
  private qualified(first: string, single: boolean): Expr {
    if (!this.isOp(".")) return this.names.bare(first, single);
    const member = this.next;
    if (member.kind !== "name") throw new ExprError(`expected a layer name after '${first}.' at column ${member.at + 1}`);
    this.i++;
    return this.names.qualified(first, member.text, single);
  }

  // example(k).delta.h1, example(k).x, example(k).C
  private exampleMember(args: Expr[]): Expr {
    if (args.length !== 1) throw new ExprError(`example takes one number, the example (1 to m, as Step Into counts), got ${args.length} arguments`);
    if (!this.isOp(".") || this.next.kind !== "name") {
      throw new ExprError(`example(k) is followed by a quantity, such as example(1).delta.h1 or example(1).x (column ${this.next.at + 1})`);
    }
    const first = this.tokens[this.i++]!.text;
    return { op: "example", example: args[0]!, of: this.qualified(first, true) };
  }

  // the hover's own nodes where a call means one: transpose, sign, and σ′ of a layer's own z
  private call(name: string, args: Expr[]): Expr {
    const [first, alpha] = args;
    if (args.length === 1 && name === "transpose") return { op: "transpose", of: first! };
    if (args.length === 1 && name === "sign") return { op: "sign", of: first! };
    if (first?.op === "weightedInput" && args.length <= 2 && (alpha === undefined || alpha.op === "number")) {
      const called = activationCalled(name, alpha?.op === "number" ? alpha.value : undefined);
      const layer = this.spec?.layers.find((l) => l.name === first.layer);
      if (called?.slope && layer?.kind === "dense" && sameActivation(called.spec, layer.activation)) {
        return { op: "slope", layer: layer.name, activation: layer.activation, batched: first.batched };
      }
    }
    return { op: "call", name, args };
  }

  private primary(): Expr {
    const t = this.next;
    if (t.kind === "number") { this.i++; return { op: "number", value: Number(t.text) }; }
    if (this.isOp("(")) {
      const inner = this.or();
      this.expect(")");
      return inner;
    }
    if (t.kind === "name") {
      this.i++;
      if (this.isOp("(")) {
        const args: Expr[] = [];
        if (!this.isOp(")")) {
          do args.push(this.or()); while (this.isOp(","));
          this.expect(")");
        }
        return t.text === "example" ? this.exampleMember(args) : this.call(t.text, args);
      }
      return this.qualified(t.text, false);
    }
    if (t.kind === "end") throw new ExprError("the expression ends early");
    throw new ExprError(`unexpected '${t.text}' at column ${t.at + 1}`);
  }
}

const sameActivation = (a: { name: string; alpha?: number }, b: { name: string; alpha?: number }): boolean =>
  a.name === b.name && (a.alpha ?? defaultAlpha(a.name)) === (b.alpha ?? defaultAlpha(b.name));
const defaultAlpha = (name: string): number | undefined => (name === "leaky_relu" ? 0.01 : name === "elu" ? 1 : undefined);

/**
 * Reads `text` into a formula tree over `spec`'s quantities. Without a spec
 * the names are not checked (layer names are taken as written) and the
 * hover's equations cannot be named.
 */
export function parseFormula(text: string, spec?: NetworkSpec): Expr {
  const names: Names = {
    bare: (name, single) => bareName(spec, name, single),
    qualified: (family, name, single) => qualifiedName(spec, family, name, single),
  };
  try {
    return new Parser(tokenize(text), names, spec).parse();
  } catch (failure) {
    if (failure instanceof ExprError) throw failure;
    if (failure instanceof RangeError && /call stack/i.test(failure.message)) throw new ExprError("the expression is nested too deeply to evaluate");
    throw new ExprError(failure instanceof Error ? failure.message : String(failure));
  }
}
