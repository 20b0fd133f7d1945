/**
 * The values expressions compute: a number or a matrix (row-major, batch as
 * columns as in the engine), and the elementwise and matrix operations on
 * them, with the shapes named when they do not fit.
 */
import type { Kernel, Matrix } from "../../engine/index";
import { ExprError } from "./errors";

export type Value = number | Matrix;

export const dims = (m: Matrix): string => `${m.rows}×${m.cols}`;

export const asMatrix = (v: Value): Matrix => (typeof v === "number" ? { rows: 1, cols: 1, data: Float64Array.of(v) } : v);

export function map(v: Value, f: (x: number) => number): Value {
  if (typeof v === "number") return f(v);
  const out = new Float64Array(v.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(v.data[i]!);
  return { rows: v.rows, cols: v.cols, data: out };
}

/** Elementwise with broadcasting: a number against anything, a column (r×1) across the columns of an r×c matrix. */
export function zip(op: string, a: Value, b: Value, f: (x: number, y: number) => number): Value {
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
      out[r * cols + c] = f(a.data[r * a.cols + (a.cols === 1 ? 0 : c)]!, b.data[r * b.cols + (b.cols === 1 ? 0 : c)]!);
    }
  }
  return { rows, cols, data: out };
}

/** A matrix product by the given kernel (the run's: a fused multiply-add rounds differently, and BP2's identity must come out exactly zero). */
export function multiply(a: Matrix, b: Matrix, kernel: Kernel, scale = 1): Matrix {
  if (a.cols !== b.rows) {
    throw new ExprError(`cannot multiply ${dims(a)} by ${dims(b)}: the inner sizes ${a.cols} and ${b.rows} differ (use .* to multiply elementwise)`);
  }
  const out = new Float64Array(a.rows * b.cols);
  kernel.gemm(false, false, a.rows, b.cols, a.cols, scale, a.data, b.data, 0, out);
  return { rows: a.rows, cols: b.cols, data: out };
}

export function transposed(m: Matrix): Matrix {
  const out = new Float64Array(m.data.length);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) out[c * m.rows + r] = m.data[r * m.cols + c]!;
  return { rows: m.cols, cols: m.rows, data: out };
}

/** ‖·‖ (Frobenius), scaled by the largest entry so that tiny entries do not underflow to a norm of 0 */
export function norm(values: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < values.length; i++) scale = Math.max(scale, Math.abs(values[i]!));
  if (scale === 0 || !Number.isFinite(scale)) return Number.isNaN(scale) ? Number.NaN : scale;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! / scale;
    sum += v * v;
  }
  if (Number.isNaN(sum)) return Number.NaN;
  return scale * Math.sqrt(sum);
}

/** x[row], x[row, column], x[:, column], 0-based. */
export function indexed(v: Value, row: Value | "all", col: Value | "all" | undefined): Value {
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
    for (let r = 0; r < m.rows; r++) out[r] = m.data[r * m.cols + c]!;
    return { rows: m.rows, cols: 1, data: out };
  }
  const r = check(row, m.rows, "row");
  if (col === undefined || col === "all") return { rows: 1, cols: m.cols, data: m.data.slice(r * m.cols, (r + 1) * m.cols) };
  return m.data[r * m.cols + check(col, m.cols, "column")]!;
}

/** A condition's truth: a number, non-zero. A matrix must be reduced first. */
export function truth(value: Value): boolean {
  if (typeof value !== "number") {
    throw new ExprError(`the condition gives a ${dims(value)} matrix, not a number; reduce it with norm(…), max(…) or mean(…)`);
  }
  return value !== 0 && !Number.isNaN(value);
}
