/**
 * How a thread copies its share of a batch's inputs (GatherJob): whole
 * examples, each copied as a row of `rows`, then the block transposed into
 * the same examples' columns of `columns` by elementwise.wat's transpose.
 * The threads get this as source, and the calling thread runs the same text.
 */
import type { GatherJob, Transpose } from "../engine/index";

export const gatherSource = `
function gatherBlock(x, order, start, from, to, features, rows, rowsAt, columnsAt, count, transpose) {
  for (let j = from; j < to; j++) {
    const at = order[start + j] * features;
    rows.set(x.subarray(at, at + features), j * features);
  }
  transpose(rowsAt + from * features * 8, to - from, features, columnsAt + from * 8, count);
}
`;

type GatherBlock = (
  x: Float64Array, order: Int32Array, start: number, from: number, to: number, features: number,
  rows: Float64Array, rowsAt: number, columnsAt: number, count: number, transpose: Transpose,
) => void;

const gatherBlock = new Function(`${gatherSource}\nreturn gatherBlock;`)() as GatherBlock;

/** Examples [from, to) of the job's batch, on this thread; rows and columns lie in the memory `transpose` works in. */
export function gatherExamples(job: GatherJob, from: number, to: number, transpose: Transpose): void {
  gatherBlock(job.x, job.order, job.start, from, to, job.features, job.rows, job.rows.byteOffset, job.columns.byteOffset, job.count, transpose);
}
