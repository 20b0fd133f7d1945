/**
 * The arrays a CSV loads into, allocated once at their final size (the
 * loader counts the rows first): the features × rows matrix the engine
 * trains on and one target value per row. Rows are named as the checker
 * names them: the line in the file, the header being 1.
 */
import { zeros, type Dataset, type Matrix } from "../engine/index";

export interface CsvRequest {
  /** the path as written in the .nnet file, for messages */
  shown: string;
  target: string;
  classes?: number;
  /** what the checker found: a numeric target is regression, a text one classes with these labels */
  targetKind?: "regression" | "classes";
  labels?: string[];
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
  targetIndex: number;
  /** rows allocated */
  n: number;
  /** rows filled */
  rows: number;
  x: Matrix;
  /** where column c's cell of row 0 goes in x.data, -1 for the target */
  base: number[];
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

export function newTable(request: CsvRequest, header: string[], targetIndex: number, n: number): Table {
  const features = header.length - 1;
  const x = allocate(() => zeros(features, n), request, features * n);
  const targets = allocate(() => new Float64Array(n), request, n);
  const base = header.map((_, c) => (c === targetIndex ? -1 : (c < targetIndex ? c : c - 1) * n));
  const table: Table = { request, header, targetIndex, n, rows: 0, x, base, targets, labels: new Map() };
  table.kind = request.targetKind ?? (request.classes !== undefined ? "classes" : undefined);
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

export function targetValue(table: Table, cell: string, row: number): number {
  const { request } = table;
  table.kind ??= isNumberText(cell) ? "regression" : "classes";
  if (table.kind === "regression") return cellValue(table, cell, row, table.targetIndex);
  let index = table.labels.get(cell);
  if (index === undefined) {
    index = table.labels.size;
    if (request.classes !== undefined && index >= request.classes) {
      throw new CsvDataError(`${request.shown}: row ${row}, column ${table.targetIndex + 1} ('${request.target}'): '${cell}' is class number ${index + 1}, but classes is ${request.classes}`, row, table.targetIndex + 1);
    }
    table.labels.set(cell, index);
  }
  return index;
}

export const raggedRow = (table: Table, row: number, cells: number): CsvDataError =>
  new CsvDataError(`${table.request.shown}: row ${row} has ${cells} cells; the header has ${table.header.length}`, row);

/** One parsed record (the csv-parse path). */
export function putRecord(table: Table, record: string[], row: number): void {
  if (record.length !== table.header.length) throw raggedRow(table, row, record.length);
  if (table.rows >= table.n) throw changedWhileRead(table.request.shown);
  const i = table.rows;
  for (let c = 0; c < record.length; c++) {
    if (c === table.targetIndex) table.targets[i] = targetValue(table, record[c], row);
    else table.x.data[table.base[c] + i] = cellValue(table, record[c], row, c);
  }
  table.rows++;
}

export function toDataset(table: Table): Dataset {
  const { n, request } = table;
  if (table.rows !== n) throw changedWhileRead(request.shown);
  const featureNames = table.header.filter((_, c) => c !== table.targetIndex);
  if (table.kind === "regression") return { x: table.x, y: { rows: 1, cols: n, data: table.targets }, featureNames };
  const classes = request.classes ?? table.labels.size;
  const y = allocate(() => zeros(classes, n), request, classes * n);
  for (let i = 0; i < n; i++) y.data[table.targets[i] * n + i] = 1;
  return { x: table.x, y, classes, classNames: [...table.labels.keys()], featureNames };
}
