/**
 * The debugger's small expression language, for the Debug Console, Watch,
 * conditional breakpoints and logpoints: names like `delta.h1` and `W.out`,
 * `'` (transpose), `*` (matrix product, or scaling by a number), `.*` and
 * `./` (elementwise), `+`, `-`, comparisons, `&&`, `||`, `x[i]` and `x[i, j]`
 * (0-based, `:` for a whole row or column), one example's quantities
 * (`example(3).delta.h1`, the batch's column of that example), and functions such as norm, mean, abs and the activations with
 * their slopes (dtanh, dsigmoid, drelu, …) taken from the engine itself, so
 * `(W.h2' * delta.h2) .* dtanh(z.h1) - delta.h1` is exactly zero.
 * Every problem is an ExprError with a plain message; nothing here throws
 * anything else on any input.
 */
import { activationOf, jsKernel, type ActivationName, type Kernel, type Matrix } from "../engine/index";
import { norm, type Value } from "./values";

export class ExprError extends Error {}

/** A name whose quantity the current point has not computed yet: a breakpoint condition is then false, not failed. */
export class NotComputedError extends ExprError {}

/**
 * Resolves a name (`x`, `h1`) or a qualified name (`W.h1`), or throws an ExprError saying why not;
 * with `example` (1-based, as Step Into counts), that example's own value.
 */
export type Lookup = (family: string | undefined, name: string, example?: number) => Value;

type Node =
  | { kind: "number"; value: number }
  | { kind: "name"; family?: string; name: string }
  | { kind: "call"; name: string; args: Node[]; at: number }
  | { kind: "unary"; op: string; operand: Node }
  | { kind: "binary"; op: string; left: Node; right: Node; at: number }
  | { kind: "transpose"; operand: Node }
  | { kind: "index"; operand: Node; row: Node | "all"; col?: Node | "all"; at: number }
  | { kind: "example"; example: Node; family?: string; name: string; at: number };

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
    const c = text[i];
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

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private get next(): Token {
    return this.tokens[this.i];
  }

  private expect(text: string): void {
    if (this.next.kind === "op" && this.next.text === text) { this.i++; return; }
    throw new ExprError(`expected '${text}' at column ${this.next.at + 1}${this.next.kind === "end" ? " (the expression ends early)" : `, found '${this.next.text}'`}`);
  }

  private isOp(...ops: string[]): string | undefined {
    return this.next.kind === "op" && ops.includes(this.next.text) ? this.tokens[this.i++].text : undefined;
  }

  parse(): Node {
    if (this.next.kind === "end") throw new ExprError("the expression is empty");
    const node = this.or();
    const rest: Token = this.next;
    if (rest.kind !== "end") throw new ExprError(`unexpected '${rest.text}' at column ${rest.at + 1}`);
    return node;
  }

  private binaryLevel(ops: string[], below: () => Node): Node {
    let left = below();
    for (;;) {
      const at = this.next.at;
      const op = this.isOp(...ops);
      if (!op) return left;
      left = { kind: "binary", op, left, right: below(), at };
    }
  }

  private or = (): Node => this.binaryLevel(["||"], this.and);
  private and = (): Node => this.binaryLevel(["&&"], this.compare);
  private compare = (): Node => this.binaryLevel(["<", "<=", ">", ">=", "==", "!="], this.sum);
  private sum = (): Node => this.binaryLevel(["+", "-"], this.product);
  private product = (): Node => this.binaryLevel(["*", ".*", "/", "./"], this.unary);

  private unary = (): Node => {
    const op = this.isOp("-", "+", "!");
    return op ? { kind: "unary", op, operand: this.unary() } : this.postfix();
  };

  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      if (this.isOp("'")) { node = { kind: "transpose", operand: node }; continue; }
      const at = this.next.at;
      if (this.isOp("[")) {
        const row = this.isOp(":") ? "all" : this.or();
        const col = this.isOp(",") ? (this.isOp(":") ? "all" : this.or()) : undefined;
        this.expect("]");
        node = { kind: "index", operand: node, row, ...(col ? { col } : {}), at };
        continue;
      }
      return node;
    }
  }

  // `W.h1` or `x`, after the first name
  private qualified(first: string): Node & { kind: "name" } {
    if (!this.isOp(".")) return { kind: "name", name: first };
    const member = this.next;
    if (member.kind !== "name") throw new ExprError(`expected a layer name after '${first}.' at column ${member.at + 1}`);
    this.i++;
    return { kind: "name", family: first, name: member.text };
  }

  // example(k).delta.h1, example(k).x, example(k).C
  private exampleMember(args: Node[], at: number): Node {
    if (args.length !== 1) throw new ExprError(`example takes one number, the example (1 to m, as Step Into counts), got ${args.length} arguments`);
    if (!this.isOp(".") || this.next.kind !== "name") {
      throw new ExprError(`example(k) is followed by a quantity, such as example(1).delta.h1 or example(1).x (column ${this.next.at + 1})`);
    }
    const first = this.tokens[this.i++].text;
    const { family, name } = this.qualified(first);
    return { kind: "example", example: args[0], ...(family !== undefined ? { family } : {}), name, at };
  }

  private primary(): Node {
    const t = this.next;
    if (t.kind === "number") { this.i++; return { kind: "number", value: Number(t.text) }; }
    if (this.isOp("(")) {
      const inner = this.or();
      this.expect(")");
      return inner;
    }
    if (t.kind === "name") {
      this.i++;
      if (this.isOp("(")) {
        const args: Node[] = [];
        if (!this.isOp(")")) {
          do args.push(this.or()); while (this.isOp(","));
          this.expect(")");
        }
        if (t.text === "example") return this.exampleMember(args, t.at);
        return { kind: "call", name: t.text, args, at: t.at };
      }
      return this.qualified(t.text);
    }
    if (t.kind === "end") throw new ExprError("the expression ends early");
    throw new ExprError(`unexpected '${t.text}' at column ${t.at + 1}`);
  }
}

/** Parses without evaluating: for checking a breakpoint's condition when it is set. */
export function parseExpression(text: string): Node {
  return new Parser(tokenize(text)).parse();
}

const dims = (m: Matrix): string => `${m.rows}×${m.cols}`;

function map(v: Value, f: (x: number) => number): Value {
  if (typeof v === "number") return f(v);
  const out = new Float64Array(v.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(v.data[i]);
  return { rows: v.rows, cols: v.cols, data: out };
}

// Elementwise with broadcasting: a number against anything, a column (r×1) across the columns of an r×c matrix.
function zip(op: string, a: Value, b: Value, f: (x: number, y: number) => number): Value {
  if (typeof a === "number" && typeof b === "number") return f(a, b);
  if (typeof a === "number") return map(b, (y) => f(a, y));
  if (typeof b === "number") return map(a, (x) => f(x, b));
  const rows = a.rows;
  if (a.rows !== b.rows || (a.cols !== b.cols && a.cols !== 1 && b.cols !== 1)) {
    throw new ExprError(`'${op}' needs operands of the same shape, got ${dims(a)} and ${dims(b)}`);
  }
  const cols = Math.max(a.cols, b.cols);
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = f(a.data[r * a.cols + (a.cols === 1 ? 0 : c)], b.data[r * b.cols + (b.cols === 1 ? 0 : c)]);
    }
  }
  return { rows, cols, data: out };
}

// By the run's own kernel: a fused multiply-add rounds differently, and the seed's identities must come out exactly zero.
function multiply(a: Matrix, b: Matrix, kernel: Kernel): Matrix {
  if (a.cols !== b.rows) {
    throw new ExprError(`cannot multiply ${dims(a)} by ${dims(b)}: the inner sizes ${a.cols} and ${b.rows} differ (use .* to multiply elementwise)`);
  }
  const out = new Float64Array(a.rows * b.cols);
  kernel.gemm(false, false, a.rows, b.cols, a.cols, 1, a.data, b.data, 0, out);
  return { rows: a.rows, cols: b.cols, data: out };
}

export function transposed(m: Matrix): Matrix {
  const out = new Float64Array(m.data.length);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) out[c * m.rows + r] = m.data[r * m.cols + c];
  return { rows: m.cols, cols: m.rows, data: out };
}

const asMatrix = (v: Value): Matrix => (typeof v === "number" ? { rows: 1, cols: 1, data: Float64Array.of(v) } : v);

function reduce(name: string, v: Value): number {
  const data = asMatrix(v).data;
  if (data.length === 0) throw new ExprError(`${name} of an empty matrix`);
  switch (name) {
    case "norm": return norm(data);
    case "sum": return data.reduce((s, x) => s + x, 0);
    case "mean": return data.reduce((s, x) => s + x, 0) / data.length;
    case "max": return data.reduce((s, x) => (x > s || Number.isNaN(x) ? x : s), -Infinity);
    case "min": return data.reduce((s, x) => (x < s || Number.isNaN(x) ? x : s), Infinity);
    default: throw new ExprError(`unknown reduction ${name}`);
  }
}

const elementwise: Record<string, (x: number) => number> = {
  abs: Math.abs, sqrt: Math.sqrt, exp: Math.exp, log: Math.log, sign: Math.sign, square: (x) => x * x,
};

const activations: ActivationName[] = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "softmax"];

export const functionNames = [
  "norm", "sum", "mean", "max", "min", "rows", "cols", "transpose", ...Object.keys(elementwise),
  ...activations, ...activations.filter((a) => a !== "softmax").map((a) => `d${a}`),
];

function callActivation(name: string, args: Value[]): Value {
  const derivative = !activations.includes(name as ActivationName);
  const base = (derivative ? name.slice(1) : name) as ActivationName;
  if (args.length < 1 || args.length > 2) throw new ExprError(`${name} takes z and, for leaky_relu and elu, α`);
  const alpha = args[1];
  if (alpha !== undefined && typeof alpha !== "number") throw new ExprError(`${name}'s α must be a number`);
  const activation = activationOf(base === "leaky_relu" || base === "elu" ? { name: base, ...(alpha !== undefined ? { alpha } : {}) } : { name: base } as never);
  if (base === "softmax") {
    const z = asMatrix(args[0]);
    const out = new Float64Array(z.data.length);
    activation.forward(z.data, out, z.rows, z.cols);
    return { rows: z.rows, cols: z.cols, data: out };
  }
  return map(args[0], derivative ? activation.slope : activation.value);
}

function call(name: string, args: Value[]): Value {
  const one = (): Value => {
    if (args.length !== 1) throw new ExprError(`${name} takes one argument, got ${args.length}`);
    return args[0];
  };
  if (["norm", "sum", "mean", "max", "min"].includes(name)) return reduce(name, one());
  if (name === "rows") return asMatrix(one()).rows;
  if (name === "cols") return asMatrix(one()).cols;
  if (name === "transpose") { const v = one(); return typeof v === "number" ? v : transposed(v); }
  if (name in elementwise) return map(one(), elementwise[name]);
  if (name === "dsoftmax") throw new ExprError("softmax's Jacobian is not diagonal, so there is no elementwise dsoftmax");
  if (functionNames.includes(name)) return callActivation(name, args);
  throw new ExprError(`unknown function '${name}' (functions: ${functionNames.join(", ")})`);
}

function index(v: Value, row: Value | "all", col: Value | "all" | undefined): Value {
  const m = asMatrix(v);
  const check = (i: Value, size: number, what: string): number => {
    if (typeof i !== "number" || !Number.isInteger(i)) throw new ExprError(`a ${what} index must be a whole number`);
    if (i < 0 || i >= size) throw new ExprError(`${what} ${i} is outside 0…${size - 1}${what === "column" && size > 0 ? ` (the ${size} columns are counted from 0)` : ""}`);
    return i;
  };
  if (row === "all") {
    if (col === undefined || col === "all") return m;
    const c = check(col, m.cols, "column");
    const out = new Float64Array(m.rows);
    for (let r = 0; r < m.rows; r++) out[r] = m.data[r * m.cols + c];
    return { rows: m.rows, cols: 1, data: out };
  }
  const r = check(row, m.rows, "row");
  if (col === undefined || col === "all") return { rows: 1, cols: m.cols, data: m.data.slice(r * m.cols, (r + 1) * m.cols) };
  return m.data[r * m.cols + check(col, m.cols, "column")];
}

const compare: Record<string, (x: number, y: number) => number> = {
  "<": (x, y) => +(x < y), "<=": (x, y) => +(x <= y), ">": (x, y) => +(x > y), ">=": (x, y) => +(x >= y),
  "==": (x, y) => +(x === y), "!=": (x, y) => +(x !== y),
  "&&": (x, y) => +(x !== 0 && y !== 0), "||": (x, y) => +(x !== 0 || y !== 0),
  "+": (x, y) => x + y, "-": (x, y) => x - y, ".*": (x, y) => x * y, "./": (x, y) => x / y,
};

function binary(op: string, a: Value, b: Value, kernel: Kernel): Value {
  if (op === "*") {
    if (typeof a === "number" || typeof b === "number") return zip(op, a, b, (x, y) => x * y);
    return multiply(a, b, kernel);
  }
  if (op === "/") {
    if (typeof b !== "number") throw new ExprError("'/' divides by a number; use ./ to divide elementwise");
    return zip(op, a, b, (x, y) => x / y);
  }
  return zip(op, a, b, compare[op]);
}

function evaluateNode(node: Node, lookup: Lookup, kernel: Kernel): Value {
  switch (node.kind) {
    case "number": return node.value;
    case "name": return lookup(node.family, node.name);
    case "call": return call(node.name, node.args.map((a) => evaluateNode(a, lookup, kernel)));
    case "unary": {
      const v = evaluateNode(node.operand, lookup, kernel);
      return node.op === "-" ? map(v, (x) => -x) : node.op === "!" ? map(v, (x) => +(x === 0)) : v;
    }
    case "transpose": {
      const v = evaluateNode(node.operand, lookup, kernel);
      return typeof v === "number" ? v : transposed(v);
    }
    case "index": {
      const v = evaluateNode(node.operand, lookup, kernel);
      const at = (part: Node | "all" | undefined): Value | "all" | undefined => (part === undefined || part === "all" ? part : evaluateNode(part, lookup, kernel));
      return index(v, at(node.row) as Value | "all", at(node.col));
    }
    case "example": {
      const k = evaluateNode(node.example, lookup, kernel);
      if (typeof k !== "number" || !Number.isInteger(k)) throw new ExprError("example(k) needs a whole number k (1 to m, as Step Into counts)");
      return lookup(node.family, node.name, k);
    }
    case "binary": return binary(node.op, evaluateNode(node.left, lookup, kernel), evaluateNode(node.right, lookup, kernel), kernel);
  }
}

/** Evaluates `text`, multiplying with `kernel` (the run's); throws only ExprError. */
export function evaluate(text: string, lookup: Lookup, kernel: Kernel = jsKernel): Value {
  try {
    return evaluateNode(parseExpression(text), lookup, kernel);
  } catch (failure) {
    if (failure instanceof ExprError) throw failure;
    if (failure instanceof RangeError && /call stack/i.test(failure.message)) throw new ExprError("the expression is nested too deeply to evaluate");
    // an engine or JavaScript failure on strange input is still only a message
    throw new ExprError(failure instanceof Error ? failure.message : String(failure));
  }
}

/** A condition's truth: a number, non-zero. A matrix must be reduced first. */
export function truth(value: Value): boolean {
  if (typeof value !== "number") {
    throw new ExprError(`the condition gives a ${dims(value)} matrix, not a number; reduce it with norm(…), max(…) or mean(…)`);
  }
  return value !== 0 && !Number.isNaN(value);
}
