/**
 * The values the debugger shows and its expressions compute: a number or a
 * matrix (row-major, batch as columns as in the engine), and how each is
 * written in the Variables view and the Debug Console.
 */
import type { Matrix } from "../engine/index";
import { norm, type FormulaValue } from "../language/index";

export { norm };
export type Value = FormulaValue;

const superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";
export const superscript = (n: number): string => String(n).replace(/\d/g, (d) => superscripts[Number(d)]);

/** ℝ¹⁶ for a column vector (a bias), ℝ¹⁶ˣ³² for a matrix */
export function shapeOf(value: Matrix, vector = false): string {
  return vector && value.cols === 1 ? `ℝ${superscript(value.rows)}` : `ℝ${superscript(value.rows)}ˣ${superscript(value.cols)}`;
}

/** A number for reading: four significant digits. */
export function short(v: number): string {
  if (!Number.isFinite(v) || v === 0) return String(v);
  const text = v.toPrecision(4);
  return String(Number(text));
}

/** `ℝ¹⁶ˣ³² ‖·‖ = 0.0831`, with a note when every entry is exactly zero */
export function summary(value: Matrix, vector = false): string {
  const n = norm(value.data);
  return `${shapeOf(value, vector)} ‖·‖ = ${short(n)}${n === 0 && value.data.length > 0 ? " (every entry is 0)" : ""}`;
}

/** One row of a matrix for the Variables view: its first entries, shortened. */
export function rowText(value: Matrix, row: number, limit = 8): string {
  const entries: string[] = [];
  for (let c = 0; c < Math.min(value.cols, limit); c++) entries.push(short(value.data[row * value.cols + c]));
  return `[${entries.join(", ")}${value.cols > limit ? ", …" : ""}]`;
}

/** A number in full: the shortest text that reads back as the same double, -0 included. */
export const full = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));

/** Every entry at full precision (the shortest text that reads back as the same double): for Copy Value. */
export function exactText(value: Value): string {
  if (typeof value === "number") return Number.isFinite(value) ? full(value) : `"${value}"`;
  const rows: string[] = [];
  for (let r = 0; r < value.rows; r++) {
    rows.push(`[${Array.from(value.data.subarray(r * value.cols, (r + 1) * value.cols), (v) => (Number.isFinite(v) ? full(v) : `"${v}"`)).join(",")}]`);
  }
  return `[${rows.join(",")}]`;
}

export function column(values: Float64Array): Matrix {
  return { rows: values.length, cols: 1, data: values };
}
