/**
 * The header of a CSV source: the first non-blank record, found by a
 * quote-aware scan that stops at its end and parsed by csv-parse. The loader
 * and the checker's sample start their rows after it.
 */
import { parse as parseCsv } from "csv-parse/sync";
import type { ByteSource } from "./csv-source";
import { firstInvalidUtf8 } from "./utf8";

export interface HeaderRecord {
  /** the cells, or undefined for an empty file or one wider than maxDataColumns */
  cells?: string[];
  /** the number of cells, counted before csv-parse reads them */
  width: number;
  /** the file offset where the rows start */
  end: number;
  /** the lines the header ends on (its last line number) */
  lines: number;
  /** the header's bytes have a line ending csv-parse reads otherwise than the fast reader (a lone CR) */
  unusual: boolean;
  /** the offset of a byte that is not UTF-8, or -1 */
  badByte: number;
  bytes: Uint8Array;
}

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

const blank = (c: number, i: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || (i < 3 && (c === 0xef || c === 0xbb || c === 0xbf));

function recordEnd(b: Uint8Array, length: number): { end: number; lines: number } | undefined {
  let quoted = false;
  let started = false;
  let lines = 0;
  for (let i = 0; i < length; i++) {
    const c = b[i];
    if (quoted) {
      if (c === 0x22) quoted = false;
      else if (c === 0x0a) lines++;
    } else if (c === 0x22) quoted = started = true;
    else if (c === 0x0a) {
      lines++;
      if (started) return { end: i + 1, lines };
    } else if (!blank(c, i)) started = true;
  }
  return undefined;
}

export function readHeader(source: ByteSource): HeaderRecord {
  let buffer = Buffer.alloc(64 * 1024);
  let filled = 0;
  for (;;) {
    const got = source.read(buffer, filled, filled);
    filled += got;
    const found = recordEnd(buffer, filled);
    if (found || got === 0) {
      const end = found?.end ?? filled;
      const bytes = buffer.subarray(0, end);
      const lines = found?.lines ?? bytes.filter((c) => c === 0x0a).length + 1;
      const badByte = firstInvalidUtf8(bytes);
      const width = headerWidth(bytes);
      if (badByte >= 0 || width > maxDataColumns) return { width, end, lines, unusual: false, badByte, bytes };
      const records = parseCsv(bytes, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
      return { ...(records[0] ? { cells: records[0] } : {}), width, end, lines, unusual: records.length > 1, badByte, bytes };
    }
    if (filled === buffer.length) {
      const grown = Buffer.alloc(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
    }
  }
}
