/**
 * Where `nnet predict` writes its rows, a batch at a time: standard output,
 * or with --out a CSV written atomically. Neither may be the data file being
 * read (a shell's `> data.csv` would empty it before it is read).
 */
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import type { Prediction, TrainedModel } from "../model/index";
import { openAtomic, targetProblem, type AtomicFile } from "../training/index";

const quoted = (cell: string): string => (/[",\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell);

/** The header of a predictions CSV: the row, then the label and its probability and every class's, or every output. */
export function predictionsHeader(model: TrainedModel): string {
  const cells = model.outputs.kind === "classes" ? ["label", "probability", ...model.outputs.labels.map((l) => `p(${l})`)] : model.outputs.names;
  return ["row", ...cells].map(quoted).join(",") + "\n";
}

/** One row of it; numbers as the shortest text that reads back as the same float64. */
export function predictionsRow(row: number, p: Prediction): string {
  const cells = p.label !== undefined ? [quoted(p.label), String(p.probability), ...Object.values(p.values).map(String)] : Object.values(p.values).map(String);
  return `${row},${cells.join(",")}\n`;
}

const sameFile = (a: { dev: number; ino: number }, b: { dev: number; ino: number }): boolean => a.dev === b.dev && a.ino === b.ino;

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function firstLine(path: string, length: number): string {
  const fd = openSync(path, "r");
  try {
    const bytes = Buffer.alloc(length);
    return bytes.toString("utf8", 0, readSync(fd, bytes, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}

/** Why the rows may not go to `out` (or to standard output, when out is undefined), or undefined. */
export function outputProblem(model: TrainedModel, data: string | undefined, out: string | undefined): string | undefined {
  const input = data !== undefined ? statOrUndefined(data) : undefined;
  if (out === undefined) {
    let stdout;
    try { stdout = fstatSync(1); } catch { return undefined; }
    return input && stdout.isFile() && sameFile(input, stdout) ? `standard output is ${data} itself; write the predictions to another file (--out FILE.csv)` : undefined;
  }
  const existing = statOrUndefined(out);
  if (input && existing && sameFile(input, existing)) return `${out}: is the data file being predicted; choose another name`;
  const header = predictionsHeader(model);
  // an existing file is replaced only if it holds predictions of the same kind (its header is the one written)
  return targetProblem(out, { extension: ".csv", what: "predictions CSV", isOwn: (path) => firstLine(path, Buffer.byteLength(header)) === header });
}

export interface RowsOut {
  write(text: string): void;
  /** the rows are all written */
  finish(): void;
  /** something failed: an --out file is not left behind */
  abandon(): void;
}

export function rowsOut(out: string | undefined, write: (text: string) => void): RowsOut {
  if (out === undefined) return { write, finish() {}, abandon() {} };
  const file: AtomicFile = openAtomic(out);
  return { write: (text) => file.write(text), finish: () => file.commit(), abandon: () => file.abort() };
}
