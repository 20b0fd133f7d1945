/**
 * The arrays a CSV loads into, allocated once at their final size (the
 * loader counts the rows first): the rows × features matrix the engine
 * trains on, each CSV row one contiguous row of it as the file is read, and
 * one target value per row. Rows are named as the checker
 * names them: the line in the file, the header being 1.
 */
import { sharedZeros, transposeInto, zeros, type Dataset, type Matrix } from "../engine/index";
import { columnProblemMessage, selectColumns } from "../language/index";

export interface CsvRequest {
  /** the path as written in the .nnet file, for messages */
  shown: string;
  /** the target column(s); several are numeric outputs (regression) */
  targets: string[];
  /** the feature columns in order; default: every column that is not a target */
  features?: string[];
  classes?: number;
  /** what the checker found: a numeric target is regression, a text one classes with these labels */
  targetKind?: "regression" | "classes";
  labels?: string[];
  /** a label outside `labels` is refused naming them (a saved model's classes) */
  fixedLabels?: boolean;
}

/** A problem in the file's content, at a row (file line) and column when known. */
export class CsvDataError extends Error {
  constructor(message: string, readonly row?: number, readonly column?: number) {
    super(message);
    this.name = "CsvDataError";
  }
}

/** The file's rows were not those counted: it changed while it was read. */
export const changedWhileRead = (shown: string): CsvDataError => new CsvDataError(`${shown}: the file changed while it was read; load it again`);

export interface Table {
  request: CsvRequest;
  header: string[];
  /** header indices of the features, in the order the network reads them */
  featureIndices: number[];
  /** header indices of the targets */
  targetIndices: number[];
  /** per header column: its target number, or -1 */
  target: number[];
  /** rows allocated: all of them, or one batch */
  n: number;
  /** rows filled (in this batch) */
  rows: number;
  /** the data rows the counting pass found in the file */
  total: number;
  /** rows handed to onBatch before this batch */
  before: number;
  /** batch mode: takes each full batch; x and columns are reused for the next one */
  onBatch?: (batch: Batch) => void;
  /** n × features: row i is data row i's features */
  x: Matrix;
  /** batch mode: a batch's features × rows, as predictions read them */
  columns?: Matrix;
  /** per header column: its feature (column of x), -1 for a target or an unused column */
  feature: Int32Array;
  /** one label index per row, or for regression target t of row i at i·targets + t */
  targets: Float64Array;
  labels: Map<string, number>;
  kind?: "regression" | "classes";
}

function allocate<T>(make: () => T, request: CsvRequest, cells: number): T {
  try {
    return make();
  } catch (failure) {
    if (!(failure instanceof RangeError)) throw failure;
    throw new CsvDataError(`${request.shown}: its ${cells.toLocaleString("en-US")} cells need ${(cells * 8 / 2 ** 30).toFixed(1)} GiB as float64, more than this process can allocate`);
  }
}

/** The header indices of the features and targets; a problem is the header's (row 1). */
export function chooseColumns(request: CsvRequest, header: string[]): { features: number[]; targets: number[] } {
  const selection = selectColumns(header, request.targets, request.features);
  const problem = selection.problems[0];
  if (problem) throw new CsvDataError(`${request.shown}: ${columnProblemMessage(problem, header, request.shown)}`, 1);
  return selection;
}

/** Raw features × rows of one batch, the first being data row `first` (0-based). */
export interface Batch {
  x: Matrix;
  first: number;
}

export interface BatchOptions {
  size: number;
  onBatch: (batch: Batch) => void;
}

export function newTable(request: CsvRequest, header: string[], columns: { features: number[]; targets: number[] }, total: number, batch?: BatchOptions): Table {
  const n = batch ? Math.min(batch.size, total) : total;
  const features = columns.features.length;
  // shared, so that the training threads gather batches from it without a copy
  const x = allocate(() => (batch ? zeros(n, features) : sharedZeros(n, features)), request, features * n);
  const targets = allocate(() => new Float64Array(n * columns.targets.length), request, n * columns.targets.length);
  const feature = new Int32Array(header.length).fill(-1);
  columns.features.forEach((c, f) => { feature[c] = f; });
  const target = header.map(() => -1);
  columns.targets.forEach((c, t) => { target[c] = t; });
  const table: Table = {
    request, header, featureIndices: columns.features, targetIndices: columns.targets, target, n, rows: 0, total, before: 0, x, feature, targets, labels: new Map(),
    ...(batch ? { onBatch: batch.onBatch, columns: zeros(features, n) } : {}),
  };
  table.kind = request.targetKind ?? (request.classes !== undefined ? "classes" : columns.targets.length > 1 ? "regression" : undefined);
  request.labels?.forEach((label, i) => table.labels.set(label, i));
  return table;
}

const isNumberText = (cell: string): boolean => cell !== "" && Number.isFinite(Number(cell));

export function cellValue(table: Table, cell: string, row: number, column: number): number {
  const value = cell === "" ? NaN : Number(cell);
  if (!Number.isFinite(value)) {
    const what = cell === "" ? "is empty" : Number.isNaN(value) ? "is not a number" : "is not a finite number";
    throw new CsvDataError(`${table.request.shown}: row ${row}, column ${column + 1} ('${table.header[column]}'): '${cell}' ${what}`, row, column + 1);
  }
  return value;
}

/** Target `t`'s cell of one row, stored in place. */
export function putTarget(table: Table, t: number, cell: string, row: number): void {
  const i = table.rows;
  const count = table.targetIndices.length;
  if (count > 1) table.targets[i * count + t] = cellValue(table, cell, row, table.targetIndices[t]);
  else table.targets[i] = targetValue(table, cell, row);
}

function targetValue(table: Table, cell: string, row: number): number {
  const { request } = table;
  const column = table.targetIndices[0];
  table.kind ??= isNumberText(cell) ? "regression" : "classes";
  if (table.kind === "regression") return cellValue(table, cell, row, column);
  let index = table.labels.get(cell);
  if (index === undefined) {
    index = table.labels.size;
    if (request.fixedLabels) {
      throw new CsvDataError(`${request.shown}: row ${row}, column ${column + 1} ('${table.header[column]}'): '${cell}' is not one of the model's classes (${request.labels!.join(", ")})`, row, column + 1);
    }
    if (request.classes !== undefined && index >= request.classes) {
      throw new CsvDataError(`${request.shown}: row ${row}, column ${column + 1} ('${table.header[column]}'): '${cell}' is class number ${index + 1}, but classes is ${request.classes}`, row, column + 1);
    }
    table.labels.set(cell, index);
  }
  return index;
}

export const raggedRow = (table: Table, row: number, cells: number): CsvDataError =>
  new CsvDataError(`${table.request.shown}: row ${row} has ${cells} cells; the header has ${table.header.length}`, row);

// The batch's rows as the columns of a features × rows matrix, handed on; the table's arrays are then reused.
function handOn(table: Table): void {
  const { x, rows, columns } = table;
  const features = x.cols;
  const shown = { rows: features, cols: rows, data: columns!.data.subarray(0, features * rows) };
  transposeInto(x.data, rows, features, shown.data);
  table.onBatch!({ x: shown, first: table.before });
  table.before += rows;
  table.rows = 0;
}

/** Before a row is filled: a row beyond the count means the file changed; a full batch is handed on. */
export function makeRoom(table: Table): void {
  if (table.before + table.rows >= table.total) throw changedWhileRead(table.request.shown);
  if (table.rows === table.n) handOn(table);
}

/** Batch mode's end: the last, partial batch; answers the rows read. */
export function finishBatches(table: Table): number {
  if (table.rows > 0) handOn(table);
  if (table.before !== table.total) throw changedWhileRead(table.request.shown);
  return table.total;
}

/** One parsed record (the csv-parse path). */
export function putRecord(table: Table, record: string[], row: number): void {
  if (record.length !== table.header.length) throw raggedRow(table, row, record.length);
  makeRoom(table);
  const at = table.rows * table.x.cols;
  for (let c = 0; c < record.length; c++) {
    if (table.target[c] >= 0) putTarget(table, table.target[c], record[c], row);
    else if (table.feature[c] >= 0) table.x.data[at + table.feature[c]] = cellValue(table, record[c], row, c);
  }
  table.rows++;
}

export function toDataset(table: Table): Dataset {
  const { n, request } = table;
  if (table.rows !== n) throw changedWhileRead(request.shown);
  const featureNames = table.featureIndices.map((c) => table.header[c]);
  if (table.kind === "regression") return { x: table.x, y: { rows: n, cols: table.targetIndices.length, data: table.targets }, featureNames };
  const classes = request.classes ?? table.labels.size;
  const y = allocate(() => zeros(n, classes), request, classes * n);
  for (let i = 0; i < n; i++) y.data[i * classes + table.targets[i]] = 1;
  return { x: table.x, y, classes, classNames: [...table.labels.keys()], featureNames };
}
