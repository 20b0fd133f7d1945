/**
 * The arrays a CSV loads into, allocated once at their final size (the
 * loader counts the rows first): the features × rows matrix the engine
 * trains on and one target value per row. Rows are named as the checker
 * names them: the line in the file, the header being 1.
 */
import { zeros, type Dataset, type Matrix } from "../engine/index";
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
  /** batch mode: takes each full batch; x is reused for the next one */
  onBatch?: (batch: Batch) => void;
  x: Matrix;
  /** per header column: its feature (row of x), -1 for a target or an unused column */
  feature: Int32Array;
  /**
   * The byte reader's rows, row-major, until a block of them is moved into x
   * feature by feature: writing x a row at a time strides across every one
   * of its pages for each row, which costs more than the parsing.
   */
  block: Float64Array;
  /** rows the block holds, and holds now (the last rows filled) */
  blockRows: number;
  inBlock: number;
  /** one label index per row, or for regression target t of row i at t·n + i */
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
  const x = allocate(() => zeros(features, n), request, features * n);
  const targets = allocate(() => new Float64Array(n * columns.targets.length), request, n * columns.targets.length);
  const feature = new Int32Array(header.length).fill(-1);
  columns.features.forEach((c, f) => { feature[c] = f; });
  const blockRows = Math.max(1, Math.min(n, Math.floor(blockBytes / (8 * Math.max(1, features)))));
  const target = header.map(() => -1);
  columns.targets.forEach((c, t) => { target[c] = t; });
  const table: Table = {
    request, header, featureIndices: columns.features, targetIndices: columns.targets, target, n, rows: 0, total, before: 0, x, feature, targets, labels: new Map(),
    block: new Float64Array(blockRows * features), blockRows, inBlock: 0,
    ...(batch ? { onBatch: batch.onBatch } : {}),
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
  if (table.targetIndices.length > 1) table.targets[t * table.n + i] = cellValue(table, cell, row, table.targetIndices[t]);
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

/** About 8 MiB: the block stays a small part of the arrays, and each feature's run in x spans pages. */
const blockBytes = 8 * 2 ** 20;

/** Moves the block's rows into x, each feature's run written in one pass. */
export function flushBlock(table: Table): void {
  const { block, inBlock, n } = table;
  if (inBlock === 0) return;
  const features = table.featureIndices.length;
  const x = table.x.data;
  const first = table.rows - inBlock;
  for (let f = 0; f < features; f++) {
    const to = f * n + first;
    for (let r = 0, k = f; r < inBlock; r++, k += features) x[to + r] = block[k];
  }
  table.inBlock = 0;
}

function handOn(table: Table): void {
  flushBlock(table);
  const { x, rows, n } = table;
  const shown = rows === n ? x : { rows: x.rows, cols: rows, data: new Float64Array(x.rows * rows) };
  if (shown !== x) for (let f = 0; f < x.rows; f++) shown.data.set(x.data.subarray(f * n, f * n + rows), f * rows);
  table.onBatch!({ x: shown, first: table.before });
  table.before += rows;
  table.rows = 0;
}

/** Before a row is filled: a row beyond the count means the file changed; a full batch is handed on. */
export function makeRoom(table: Table): void {
  if (table.before + table.rows >= table.total) throw changedWhileRead(table.request.shown);
  if (table.rows === table.n) handOn(table);
  else if (table.inBlock === table.blockRows) flushBlock(table);
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
  const i = table.rows;
  for (let c = 0; c < record.length; c++) {
    if (table.target[c] >= 0) putTarget(table, table.target[c], record[c], row);
    else if (table.feature[c] >= 0) table.x.data[table.feature[c] * table.n + i] = cellValue(table, record[c], row, c);
  }
  table.rows++;
}

export function toDataset(table: Table): Dataset {
  flushBlock(table);
  const { n, request } = table;
  if (table.rows !== n) throw changedWhileRead(request.shown);
  const featureNames = table.featureIndices.map((c) => table.header[c]);
  if (table.kind === "regression") return { x: table.x, y: { rows: table.targetIndices.length, cols: n, data: table.targets }, featureNames };
  const classes = request.classes ?? table.labels.size;
  const y = allocate(() => zeros(classes, n), request, classes * n);
  for (let i = 0; i < n; i++) y.data[table.targets[i] * n + i] = 1;
  return { x: table.x, y, classes, classNames: [...table.labels.keys()], featureNames };
}
