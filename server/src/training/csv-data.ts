/**
 * A CSV file to a dataset, without holding its rows as strings: csv-parse
 * (quotes, embedded commas, BOM, CRLF) hands over one record at a time and
 * its cells go straight into one growing Float64Array, row after row, so
 * memory follows the number of cells, however wide or long the file. Rows are
 * named as the checker names them: the line in the file, the header being 1.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { zeros, type Dataset } from "../engine/index";
import { columnProblemMessage, selectColumns } from "../language/index";
import { firstInvalidUtf8, lineOfOffset } from "./utf8";

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
}

/** A problem in the file's content, at a row (file line) and column when known. */
export class CsvDataError extends Error {
  constructor(message: string, readonly row?: number, readonly column?: number) {
    super(message);
    this.name = "CsvDataError";
  }
}

export class LoadCancelled extends Error {}

/** The most columns a data file may have; wider ones are refused with their width (docs/training.md). */
export const maxDataColumns = 100_000;

/** Why a header of `width` columns is refused, or undefined. */
export function widthProblem(width: number, shown: string): string | undefined {
  return width > maxDataColumns
    ? `${shown}: has ${width.toLocaleString("en-US")} columns; the limit is ${maxDataColumns.toLocaleString("en-US")} (a network input that wide is not a feedforward network's job)`
    : undefined;
}

/**
 * The number of cells of the file's first record (its header), read by a scan
 * that stops at its end: csv-parse would go through the whole file first.
 */
export function headerWidth(text: string | Uint8Array): number {
  const at = typeof text === "string" ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  let cells = 1;
  let quoted = false;
  let empty = true;
  for (let i = 0; i < text.length; i++) {
    const c = at(i);
    if (c === 0x22) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 0x2c) cells++;
    else if (c === 0x0a) {
      if (!empty) return cells;
      continue;
    }
    if (c !== 0x0d && c !== 0xfeff && !(i < 3 && (c === 0xef || c === 0xbb || c === 0xbf))) empty = false;
  }
  return empty ? 0 : cells;
}

class Column {
  values = new Float64Array(16);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

function notUtf8(bytes: Uint8Array, offset: number, shown: string): CsvDataError {
  const at = Math.max(offset, 0);
  const row = lineOfOffset(bytes, at);
  const hex = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, "0");
  return new CsvDataError(`${shown}: not valid UTF-8: byte 0x${hex} at offset ${at} (row ${row}); save the file as UTF-8`, row);
}

/** Strict UTF-8 (TextDecoder with fatal: true); a bad byte is named with its offset and row. */
export function decodeUtf8(bytes: Uint8Array, shown: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8(bytes, firstInvalidUtf8(bytes), shown);
  }
}

interface Reader {
  header?: string[];
  /** header indices, from selectColumns */
  featureIndices: number[];
  targetIndices: number[];
  /** the feature cells, row after row */
  cells: Column;
  features: number;
  /** the target cells (one per row, or one per target column for several), row after row */
  targetValues: Column;
  rows: number;
  labels: Map<string, number>;
  kind?: "regression" | "classes";
}

const isNumberText = (cell: string): boolean => cell !== "" && Number.isFinite(Number(cell));

function cellValue(request: CsvRequest, header: string[], cell: string, row: number, column: number): number {
  const value = cell === "" ? NaN : Number(cell);
  if (!Number.isFinite(value)) {
    const what = cell === "" ? "is empty" : Number.isNaN(value) ? "is not a number" : "is not a finite number";
    throw new CsvDataError(`${request.shown}: row ${row}, column ${column + 1} ('${header[column]}'): '${cell}' ${what}`, row, column + 1);
  }
  return value;
}

function readHeader(reader: Reader, request: CsvRequest, record: string[]): void {
  const tooWide = widthProblem(record.length, request.shown);
  if (tooWide) throw new CsvDataError(tooWide, 1);
  reader.header = record;
  const selection = selectColumns(record, request.targets, request.features);
  const problem = selection.problems[0];
  if (problem) throw new CsvDataError(`${request.shown}: ${columnProblemMessage(problem, record, request.shown)}`, 1);
  reader.featureIndices = selection.features;
  reader.targetIndices = selection.targets;
  reader.features = selection.features.length;
  reader.kind = request.targetKind ?? (request.classes !== undefined ? "classes" : request.targets.length > 1 ? "regression" : undefined);
  request.labels?.forEach((label, i) => reader.labels.set(label, i));
}

function readTarget(reader: Reader, request: CsvRequest, cell: string, row: number): number {
  const column = reader.targetIndices[0];
  reader.kind ??= isNumberText(cell) ? "regression" : "classes";
  if (reader.kind === "regression") return cellValue(request, reader.header!, cell, row, column);
  let index = reader.labels.get(cell);
  if (index === undefined) {
    index = reader.labels.size;
    if (request.classes !== undefined && index >= request.classes) {
      throw new CsvDataError(`${request.shown}: row ${row}, column ${column + 1} ('${reader.header![column]}'): '${cell}' is class number ${index + 1}, but classes is ${request.classes}`, row, column + 1);
    }
    reader.labels.set(cell, index);
  }
  return index;
}

function readRow(reader: Reader, request: CsvRequest, record: string[], row: number): void {
  const header = reader.header!;
  if (record.length !== header.length) {
    throw new CsvDataError(`${request.shown}: row ${row} has ${record.length} cells; the header has ${header.length}`, row);
  }
  for (const c of reader.featureIndices) reader.cells.push(cellValue(request, header, record[c], row, c));
  if (reader.targetIndices.length === 1) reader.targetValues.push(readTarget(reader, request, record[reader.targetIndices[0]], row));
  else for (const c of reader.targetIndices) reader.targetValues.push(cellValue(request, header, record[c], row, c));
  reader.rows++;
}

function toDataset(reader: Reader, request: CsvRequest): Dataset {
  const n = reader.rows;
  if (n === 0) throw new CsvDataError(`${request.shown}: has a header but no data rows`, 2);
  const features = reader.features;
  const x = zeros(features, n);
  const cells = reader.cells.values;
  // row-major cells to the engine's features × examples
  for (let i = 0; i < n; i++) for (let f = 0; f < features; f++) x.data[f * n + i] = cells[i * features + f];
  const featureNames = reader.featureIndices.map((c) => reader.header![c]);
  if (reader.kind === "regression") {
    const targets = reader.targetIndices.length;
    const y = zeros(targets, n);
    const values = reader.targetValues.values;
    for (let i = 0; i < n; i++) for (let t = 0; t < targets; t++) y.data[t * n + i] = values[i * targets + t];
    return { x, y, featureNames };
  }
  const classes = request.classes ?? reader.labels.size;
  const y = zeros(classes, n);
  for (let i = 0; i < n; i++) y.data[reader.targetValues.values[i] * n + i] = 1;
  return { x, y, classes, classNames: [...reader.labels.keys()], featureNames };
}

function parseProblem(failure: unknown, shown: string): CsvDataError {
  const info = failure as { lines?: unknown; message?: unknown };
  const row = typeof info.lines === "number" ? info.lines : undefined;
  const message = typeof info.message === "string" ? info.message : String(failure);
  return new CsvDataError(`${shown}: ${row !== undefined ? `row ${row}: ` : ""}the CSV could not be read: ${message}`, row);
}

/** Parses CSV text (or UTF-8 bytes) with a header row; polls shouldStop every few thousand rows. */
export function csvDataset(text: string | Buffer, request: CsvRequest, shouldStop?: () => boolean): Dataset {
  const reader: Reader = { featureIndices: [], targetIndices: [], cells: new Column(), features: 0, targetValues: new Column(), labels: new Map(), rows: 0 };
  try {
    parseCsv(text, {
      bom: true, trim: true, skip_empty_lines: true, relax_column_count: true,
      on_record: (record: string[], context: { lines: number; records: number }) => {
        if (!reader.header) readHeader(reader, request, record);
        else readRow(reader, request, record, context.lines);
        if (context.records % 4096 === 0 && shouldStop?.()) throw new LoadCancelled("cancelled while reading the data");
        return null;
      },
    });
  } catch (failure) {
    if (failure instanceof CsvDataError || failure instanceof LoadCancelled) throw failure;
    throw parseProblem(failure, request.shown);
  }
  if (!reader.header) throw new CsvDataError(`${request.shown}: the CSV file is empty; it needs a header row`, 1);
  return toDataset(reader, request);
}

/**
 * Bytes → dataset: strict UTF-8 first, so a Latin-1 file is named, not
 * misread. The bytes are validated in place and parsed as they are, without
 * a decoded copy of the whole file.
 */
export function csvDatasetFromBytes(bytes: Uint8Array, request: CsvRequest, shouldStop?: () => boolean): Dataset {
  const invalid = firstInvalidUtf8(bytes);
  if (invalid >= 0) throw notUtf8(bytes, invalid, request.shown);
  return csvDataset(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), request, shouldStop);
}
