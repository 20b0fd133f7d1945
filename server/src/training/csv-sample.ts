/**
 * A small stand-in for a large CSV, for the checker, which would otherwise
 * read the whole file as strings to learn its shape. The sample keeps what
 * the shape depends on: the header, the first rows, and the first row of
 * every distinct value of each target column (so the class count and the
 * numeric-or-text decision are those of the whole file). It is read in one
 * streamed pass that looks only at the target cells after the first rows,
 * and kept per file (path, size, modification time) so a re-check of an
 * unchanged file reads nothing. The worker's loader reads the full file.
 */
import { isUtf8 } from "node:buffer";
import { statSync } from "node:fs";
import { maxDataColumns, readHeader } from "./csv-header";
import { eachRecord } from "./csv-records";
import { plainLines } from "./csv-rows";
import { fileSource, lineChunks, memorySource, type ByteSource } from "./csv-source";
import { firstInvalidUtf8 } from "./utf8";

/** Above this size the checker sees a sample (bytes). */
export const sampleAbove = 4 * 1024 * 1024;
const firstRows = 1000;
const maxDistinct = 1000;

export interface Sample {
  text?: string;
  /** why there is no sample, for the checker's message */
  why?: string;
  /** the data rows of the whole file */
  rows?: number;
  /** the header's cells (a sample is not taken of a file wider than maxDataColumns) */
  columns?: number;
}

const quoted = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const line = (record: string[]): string => record.map(quoted).join(",");

class Tracker {
  kept: string[] = [];
  seen: Set<string>[];
  overflow = false;
  rows = 0;
  constructor(header: string[], readonly columns: number[]) {
    this.kept.push(line(header));
    this.seen = columns.map(() => new Set());
  }
  /** whether the row with these target cells belongs in the sample */
  wants(cells: string[]): boolean {
    let wanted = this.rows++ < firstRows;
    cells.forEach((value, k) => {
      if (this.seen[k].has(value)) return;
      if (this.seen[k].size >= maxDistinct) this.overflow = true;
      else {
        this.seen[k].add(value);
        wanted = true;
      }
    });
    return wanted;
  }
  result(targets: string[]): Sample {
    const numericOnly = this.seen.every((values) => [...values].every((v) => v !== "" && Number.isFinite(Number(v))));
    if (this.overflow && !numericOnly) {
      return { why: `more than ${maxDistinct.toLocaleString("en-US")} distinct text values in the target column ${targets.map((t) => `'${t}'`).join(", ")}; a target with that many classes is not one to train on here` };
    }
    return { text: this.kept.join("\n") + "\n", rows: this.rows };
  }
}

// The trimmed text of cell `column` of the unquoted line [from, stop).
function cellAt(b: Buffer, from: number, stop: number, column: number): string {
  let start = from;
  for (let c = 0; c < column; c++) {
    const comma = b.indexOf(0x2c, start);
    if (comma < 0 || comma >= stop) return "";
    start = comma + 1;
  }
  let end = b.indexOf(0x2c, start);
  if (end < 0 || end > stop) end = stop;
  return b.toString("utf8", start, end).trim();
}

function notUtf8(b: Buffer, offset: number): Sample {
  const at = firstInvalidUtf8(b);
  return { why: `not valid UTF-8: byte 0x${b[at].toString(16).toUpperCase().padStart(2, "0")} at offset ${offset + at}; save the file as UTF-8` };
}

// Returns false when the rows need csv-parse (quotes, a lone CR).
function scanPlain(source: ByteSource, start: number, tracker: Tracker): boolean | Sample {
  for (const { bytes, end, offset } of lineChunks(source, start)) {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, end);
    if (!isUtf8(b)) return notUtf8(b, offset);
    if (!plainLines(b)) return false;
    for (let i = 0; i < end;) {
      let next = b.indexOf(0x0a, i);
      if (next < 0) next = end;
      let stop = next;
      if (stop > i && b[stop - 1] === 0x0d) stop--;
      if (b.subarray(i, stop).some((c) => c !== 0x20 && c !== 0x09)) {
        if (tracker.wants(tracker.columns.map((column) => cellAt(b, i, stop, column)))) tracker.kept.push(b.toString("utf8", i, stop));
      }
      i = next + 1;
    }
  }
  return true;
}

/** The sample of a CSV source with these target columns. */
export function sampleOf(source: ByteSource, targets: string[]): Sample {
  try {
    const header = readHeader(source);
    if (header.badByte >= 0) return notUtf8(Buffer.from(header.bytes), 0);
    if (header.width > maxDataColumns) return { columns: header.width };
    if (!header.cells) return { why: "the CSV file is empty; it needs a header row" };
    const columns = targets.map((t) => header.cells!.indexOf(t)).filter((c) => c >= 0);
    const tracker = new Tracker(header.cells, columns);
    const plain = header.unusual ? false : scanPlain(source, header.end, tracker);
    if (typeof plain === "object") return plain;
    if (plain) return tracker.result(targets);
    const full = new Tracker(header.cells, columns);
    eachRecord(source, (record) => {
      if (full.wants(columns.map((column) => record[column] ?? ""))) full.kept.push(line(record));
    });
    return full.result(targets);
  } catch (failure) {
    // a file csv-parse cannot read: the row where it stopped, so the checker never reads a large file whole to find it
    const row = (failure as { lines?: unknown }).lines;
    const message = failure instanceof Error ? failure.message : String(failure);
    return { why: `${typeof row === "number" ? `row ${row}: ` : ""}the CSV could not be read: ${message}` };
  } finally {
    source.close();
  }
}

/** The sample as CSV text (for bytes in memory), or undefined when there is none. */
export function csvSample(bytes: Buffer, targets: string[]): string | undefined {
  return sampleOf(memorySource(bytes), targets).text;
}

const kept = new Map<string, Sample>();

/** The sample of a file, kept while the file's size and modification time stay the same. */
export function sampleOfFile(path: string, targets: string[]): Sample {
  const stat = statSync(path);
  const key = JSON.stringify([path, stat.size, stat.mtimeMs, targets]);
  let sample = kept.get(key);
  if (!sample) {
    sample = sampleOf(fileSource(path, stat.size), targets);
    if (kept.size >= 16) kept.delete(kept.keys().next().value!);
    kept.set(key, sample);
  }
  return sample;
}
