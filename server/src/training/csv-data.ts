/**
 * A CSV file to a dataset, streamed: the header first, then a pass that
 * counts the rows, then one that parses each cell into the final
 * features × rows Float64Array, so memory at peak is that of the arrays
 * themselves plus a buffer of about a megabyte. Files without quotes take
 * the byte parser of csv-rows.ts; files with quotes go through csv-parse's
 * incremental parser, chunk by chunk (quotes, embedded commas and newlines).
 */
import type { Dataset } from "../engine/index";
import { readHeader, widthProblem } from "./csv-header";
import { eachRecord } from "./csv-records";
import { countRows, fillRows, LoadCancelled, type FillOptions } from "./csv-rows";
import { memorySource, type ByteSource } from "./csv-source";
import { chooseColumns, CsvDataError, newTable, putRecord, toDataset, type CsvRequest, type Table } from "./csv-table";
import { firstInvalidUtf8, lineOfOffset } from "./utf8";

export { CsvDataError, type CsvRequest } from "./csv-table";
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
function countRecords(source: ByteSource): number {
  let rows = 0;
  try {
    eachRecord(source, () => rows++);
  } catch {
    // the fill stops at the same place, after any earlier problem in the rows, and says why
  }
  return rows;
}

function fillWithCsvParse(table: Table, source: ByteSource, options: FillOptions): void {
  eachRecord(source, (record, context) => {
    putRecord(table, record, context.lines);
    if (context.records % 4096 === 0 && options.shouldStop?.()) throw new LoadCancelled("cancelled while reading the data");
  });
  options.onProgress?.(source.size, source.size);
}

function checkHeader(request: CsvRequest, cells: string[] | undefined, width: number): { features: number[]; targets: number[] } {
  const tooWide = widthProblem(Math.max(width, cells?.length ?? 0), request.shown);
  if (tooWide) throw new CsvDataError(tooWide, 1);
  if (!cells) throw new CsvDataError(`${request.shown}: the CSV file is empty; it needs a header row`, 1);
  return chooseColumns(request, cells);
}

function load(source: ByteSource, request: CsvRequest, options: FillOptions): Dataset {
  let header;
  try {
    header = readHeader(source);
  } catch (failure) {
    throw parseProblem(failure, request.shown);
  }
  if (header.badByte >= 0) throw notUtf8In(header.bytes, header.badByte, request.shown);
  const columns = checkHeader(request, header.cells, header.width);
  const count = countRows(source, header.end, header.lines);
  if (count.badByte) {
    const byte = new Uint8Array(1);
    source.read(byte, 0, count.badByte.offset);
    throw notUtf8(byte[0], count.badByte.offset, count.badByte.line, request.shown);
  }
  const viaCsvParse = count.needsCsvParse || header.unusual;
  const table = newTable(request, header.cells!, columns, viaCsvParse ? countRecords(source) : count.rows);
  try {
    if (viaCsvParse) fillWithCsvParse(table, source, options);
    else fillRows(table, source, header.end, header.lines, options);
  } catch (failure) {
    if (failure instanceof CsvDataError || failure instanceof LoadCancelled) throw failure;
    throw parseProblem(failure, request.shown);
  }
  if (table.n === 0) throw new CsvDataError(`${request.shown}: has a header but no data rows`, 2);
  return toDataset(table);
}

/** Reads a CSV source; polls shouldStop every few thousand rows. The source is closed after. */
export function csvDatasetFrom(source: ByteSource, request: CsvRequest, options: FillOptions = {}): Dataset {
  try {
    return load(source, request, options);
  } finally {
    source.close();
  }
}

/** Parses CSV text (or UTF-8 bytes) with a header row. */
export function csvDataset(text: string | Buffer, request: CsvRequest, shouldStop?: () => boolean): Dataset {
  return csvDatasetFromBytes(typeof text === "string" ? Buffer.from(text) : text, request, shouldStop);
}

/** Bytes → dataset: strict UTF-8, so a Latin-1 file is named, not misread. */
export function csvDatasetFromBytes(bytes: Uint8Array, request: CsvRequest, shouldStop?: () => boolean): Dataset {
  return csvDatasetFrom(memorySource(bytes), request, shouldStop ? { shouldStop } : {});
}
