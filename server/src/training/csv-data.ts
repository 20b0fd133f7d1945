/**
 * A CSV file to a dataset, streamed: the header first, then a pass that
 * counts the rows, then one that parses each cell into the final
 * rows × features Float64Array, one CSV row after another, so memory at peak is that of the arrays
 * themselves plus a buffer of about a megabyte. Files without quotes take
 * the byte parser of csv-rows.ts; files with quotes go through csv-parse's
 * incremental parser, chunk by chunk (quotes, embedded commas and newlines).
 */
import type { Dataset } from "../engine/index";
import { readHeader, widthProblem } from "./csv-header";
import { recordSteps } from "./csv-records";
import { countRows, fillRows, LoadCancelled, type FillOptions } from "./csv-rows";
import { memorySource, type ByteSource } from "./csv-source";
import { heldForTests, runSteps, runStepsAsync, type Steps } from "./csv-steps";
import {
  chooseColumns, CsvDataError, finishBatches, newTable, putRecord, toDataset, type BatchOptions, type CsvRequest, type Table,
} from "./csv-table";
import { firstInvalidUtf8, lineOfOffset } from "./utf8";

export { CsvDataError, type Batch, type BatchOptions, type CsvRequest } from "./csv-table";
export { LoadCancelled } from "./csv-rows";
export { headerWidth, maxDataColumns, widthProblem } from "./csv-header";

function notUtf8(byte: number, offset: number, row: number, shown: string): CsvDataError {
  const hex = byte.toString(16).toUpperCase().padStart(2, "0");
  return new CsvDataError(`${shown}: not valid UTF-8: byte 0x${hex} at offset ${offset} (row ${row}); save the file as UTF-8`, row);
}

const notUtf8In = (bytes: Uint8Array, offset: number, shown: string): CsvDataError =>
  notUtf8(bytes[offset] ?? 0, Math.max(offset, 0), lineOfOffset(bytes, offset), shown);

/** Strict UTF-8 (TextDecoder with fatal: true); a bad byte is named with its offset and row. */
export function decodeUtf8(bytes: Uint8Array, shown: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8In(bytes, firstInvalidUtf8(bytes), shown);
  }
}

function parseProblem(failure: unknown, shown: string): CsvDataError {
  const info = failure as { lines?: unknown; message?: unknown };
  const row = typeof info.lines === "number" ? info.lines : undefined;
  const message = typeof info.message === "string" ? info.message : String(failure);
  return new CsvDataError(`${shown}: ${row !== undefined ? `row ${row}: ` : ""}the CSV could not be read: ${message}`, row);
}

// Records after the header, as csv-parse counts them; a file it cannot parse counts up to the failure.
function* countRecords(source: ByteSource): Steps<number> {
  let rows = 0;
  try {
    yield* recordSteps(source, () => rows++);
  } catch {
    // the fill stops at the same place, after any earlier problem in the rows, and says why
  }
  return rows;
}

function* fillWithCsvParse(table: Table, source: ByteSource, options: FillOptions): Steps<void> {
  yield* recordSteps(source, (record, context) => {
    putRecord(table, record, context.lines);
    if (context.records % 4096 === 0 && options.shouldStop?.()) throw new LoadCancelled("cancelled while reading the data");
  });
  options.onProgress?.(source.size, source.size);
}

interface Header {
  cells: string[];
  end: number;
  lines: number;
  unusual: boolean;
}

function header(source: ByteSource, shown: string): Header {
  let found;
  try {
    found = readHeader(source);
  } catch (failure) {
    throw parseProblem(failure, shown);
  }
  if (found.badByte >= 0) throw notUtf8In(found.bytes, found.badByte, shown);
  const tooWide = widthProblem(Math.max(found.width, found.cells?.length ?? 0), shown);
  if (tooWide) throw new CsvDataError(tooWide, 1);
  if (!found.cells) throw new CsvDataError(`${shown}: the CSV file is empty; it needs a header row`, 1);
  return { cells: found.cells, end: found.end, lines: found.lines, unusual: found.unusual };
}

/** The header's cells, with the loader's refusals (not UTF-8, too wide, empty). */
export function csvHeader(source: ByteSource, shown: string): string[] {
  return header(source, shown).cells;
}

export interface LoadOptions extends FillOptions {
  /** hands the rows on a batch at a time instead of keeping them all */
  batch?: BatchOptions;
}

function* load(source: ByteSource, request: CsvRequest, options: LoadOptions): Steps<Table> {
  const head = header(source, request.shown);
  const columns = chooseColumns(request, head.cells);
  const count = yield* countRows(source, head.end, head.lines, options.shouldStop);
  if (count.badByte) {
    const byte = new Uint8Array(1);
    source.read(byte, 0, count.badByte.offset);
    throw notUtf8(byte[0], count.badByte.offset, count.badByte.line, request.shown);
  }
  const viaCsvParse = count.needsCsvParse || head.unusual;
  const rows = viaCsvParse ? yield* countRecords(source) : count.rows;
  const table = newTable(request, head.cells, columns, rows, options.batch);
  try {
    if (viaCsvParse) yield* fillWithCsvParse(table, source, options);
    else yield* fillRows(table, source, head.end, head.lines, options);
  } catch (failure) {
    if (failure instanceof CsvDataError || failure instanceof LoadCancelled) throw failure;
    throw parseProblem(failure, request.shown);
  }
  if (table.total === 0) throw new CsvDataError(`${request.shown}: has a header but no data rows`, 2);
  return table;
}

function* closing<T>(source: ByteSource, steps: Steps<T>): Steps<T> {
  try {
    return yield* steps;
  } finally {
    source.close();
  }
}

function* dataset(source: ByteSource, request: CsvRequest, options: FillOptions): Steps<Dataset> {
  return toDataset(yield* load(source, request, options));
}

function* batches(source: ByteSource, request: CsvRequest, options: LoadOptions & { batch: BatchOptions }): Steps<number> {
  return finishBatches(yield* load(source, request, options));
}

/** Reads a CSV source; polls shouldStop every few thousand rows. The source is closed after. */
export function csvDatasetFrom(source: ByteSource, request: CsvRequest, options: FillOptions = {}): Dataset {
  return runSteps(closing(source, dataset(source, request, options)));
}

/** The same, giving way to the event loop after each chunk of the file. */
export function csvDatasetAsync(source: ByteSource, request: CsvRequest, options: FillOptions = {}): Promise<Dataset> {
  const held = heldForTests(options);
  return runStepsAsync(closing(source, dataset(source, request, held.options)), held.pause);
}

/**
 * The rows a batch at a time, giving way to the event loop after each chunk:
 * memory stays that of one batch, whatever the file's size. Answers the number of rows.
 */
export function csvBatchesAsync(source: ByteSource, request: CsvRequest, options: LoadOptions & { batch: BatchOptions }): Promise<number> {
  const held = heldForTests(options);
  return runStepsAsync(closing(source, batches(source, request, held.options)), held.pause);
}

/** Parses CSV text (or UTF-8 bytes) with a header row. */
export function csvDataset(text: string | Buffer, request: CsvRequest, shouldStop?: () => boolean): Dataset {
  return csvDatasetFromBytes(typeof text === "string" ? Buffer.from(text) : text, request, shouldStop);
}

/** Bytes → dataset: strict UTF-8, so a Latin-1 file is named, not misread. */
export function csvDatasetFromBytes(bytes: Uint8Array, request: CsvRequest, shouldStop?: () => boolean): Dataset {
  return csvDatasetFrom(memorySource(bytes), request, shouldStop ? { shouldStop } : {});
}
