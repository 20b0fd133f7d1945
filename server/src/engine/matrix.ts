/**
 * A dense row-major matrix on Float64Array. Batches are stored as columns
 * (backprop §6.4): a layer's activations for m examples form an n×m matrix, so
 * the rows of one layer's units are contiguous and a concat is a row stack.
 */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** Zeros in shared memory where the runtime has it: a data set that a kernel's other threads gather batches from without a copy (batches.ts). */
export function sharedZeros(rows: number, cols: number): Matrix {
  if (typeof SharedArrayBuffer !== "function") return zeros(rows, cols);
  return { rows, cols, data: new Float64Array(new SharedArrayBuffer(rows * cols * 8)) };
}

/** The matrix whose row r is values[r]; every row must have the same length. */
export function fromRows(values: readonly (readonly number[])[]): Matrix {
  const rows = values.length;
  const cols = rows === 0 ? 0 : values[0].length;
  const m = zeros(rows, cols);
  for (let r = 0; r < rows; r++) {
    if (values[r].length !== cols) throw new Error(`row ${r} has ${values[r].length} values, expected ${cols}`);
    m.data.set(values[r], r * cols);
  }
  return m;
}

/** Plain nested arrays, row by row, for JSON and tests. */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}

/** The matrix's columns as plain arrays: one example per entry. */
export function toColumns(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let c = 0; c < m.cols; c++) {
    const column: number[] = [];
    for (let r = 0; r < m.rows; r++) column.push(m.data[r * m.cols + c]);
    out.push(column);
  }
  return out;
}

export function cloneMatrix(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

/** The transpose: a batch's rows as the network's columns, or the reverse. */
export function transpose(m: Matrix): Matrix {
  const { rows, cols, data } = m;
  const t = zeros(cols, rows);
  const out = t.data;
  // 16×16 blocks keep both the reads and the writes within a few cache lines
  for (let r0 = 0; r0 < rows; r0 += 16) {
    const r1 = Math.min(r0 + 16, rows);
    for (let c0 = 0; c0 < cols; c0 += 16) {
      const c1 = Math.min(c0 + 16, cols);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = data[r * cols + c];
    }
  }
  return t;
}

/**
 * Writes examples indices[start…start+count) into columns 0… of `target`
 * (rows × count), reading them from `byExample`, a data set's rows.
 */
export function gatherExamples(byExample: Matrix, indices: ArrayLike<number>, start: number, count: number, target: Float64Array): void {
  const rows = byExample.cols;
  const data = byExample.data;
  for (let c = 0; c < count; c++) {
    const from = indices[start + c] * rows;
    for (let r = 0; r < rows; r++) target[r * count + c] = data[from + r];
  }
}

/** Examples indices[start…start+count) as the rows of `rows` (count × features), one copy each from `byExample`. */
export function gatherRows(byExample: Matrix, indices: ArrayLike<number>, start: number, count: number, rows: Float64Array): void {
  const features = byExample.cols;
  const data = byExample.data;
  for (let c = 0; c < count; c++) {
    const from = indices[start + c] * features;
    rows.set(data.subarray(from, from + features), c * features);
  }
}

/** dst (cols × rows) = srcᵀ for src (rows × cols), in blocks of columns while they are in cache. */
export function transposeInto(src: Float64Array, rows: number, cols: number, dst: Float64Array): void {
  for (let j0 = 0; j0 < cols; j0 += 16) {
    const j1 = Math.min(cols, j0 + 16);
    for (let i = 0; i < rows; i++) {
      const row = i * cols;
      for (let j = j0; j < j1; j++) dst[j * rows + i] = src[row + j];
    }
  }
}

export function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
