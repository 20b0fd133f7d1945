/**
 * The rows of a CSV without quotes, read straight from its bytes: a first
 * pass counts them (and checks UTF-8), a second parses each cell into its
 * place in the final arrays. A plain decimal (sign, digits, one point, at
 * most 15 significant digits) is converted here: its digits as an integer
 * below 2^53 divided by an exact power of ten rounds once, so it equals
 * Number() (Clinger's fast path). Anything else goes through Number().
 */
import { isUtf8 } from "node:buffer";
import { lineChunks, type ByteSource } from "./csv-source";
import type { Steps } from "./csv-steps";
import { cellValue, makeRoom, putTarget, raggedRow, type Table } from "./csv-table";
import { firstInvalidUtf8 } from "./utf8";

export interface RowCount {
  rows: number;
  /** quotes or a lone CR: csv-parse must read the rows */
  needsCsvParse: boolean;
  /** a byte that is not UTF-8: its offset and line */
  badByte?: { offset: number; line: number };
}

/** No quotes and no CR but before an LF: lines the byte reader reads as csv-parse does. */
export function plainLines(b: Buffer): boolean {
  if (b.indexOf(0x22) >= 0) return false;
  for (let cr = b.indexOf(0x0d); cr >= 0; cr = b.indexOf(0x0d, cr + 1)) if (b[cr + 1] !== 0x0a && cr + 1 < b.length) return false;
  return true;
}

const blankByte = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d;

/** Counts the non-blank lines from `start`; `line` is the last line before it. `shouldStop` is asked after each chunk. */
export function* countRows(source: ByteSource, start: number, line: number, shouldStop?: () => boolean): Steps<RowCount> {
  let rows = 0;
  let needsCsvParse = false;
  for (const { bytes, end, offset } of lineChunks(source, start)) {
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, end);
    if (!isUtf8(chunk)) {
      const at = firstInvalidUtf8(chunk);
      let before = 0;
      for (let i = chunk.indexOf(0x0a); i >= 0 && i < at; i = chunk.indexOf(0x0a, i + 1)) before++;
      return { rows, needsCsvParse, badByte: { offset: offset + at, line: line + before + 1 } };
    }
    if (!needsCsvParse && !plainLines(chunk)) needsCsvParse = true;
    let i = 0;
    while (i < end) {
      let next = chunk.indexOf(0x0a, i);
      if (next < 0) next = end;
      line++;
      let k = i;
      while (k < next && blankByte(chunk[k])) k++;
      if (k < next) rows++;
      i = next + 1;
    }
    if (shouldStop?.()) throw new LoadCancelled("cancelled while reading the data");
    yield;
  }
  return { rows, needsCsvParse };
}

const pow10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const exactDigits = 2 ** 53;

export interface FillOptions {
  shouldStop?: () => boolean;
  /** bytes read so far, of all */
  onProgress?: (done: number, total: number) => void;
}

/** Fills the table from `start` (after the header, whose last line is `line`). */
export function* fillRows(table: Table, source: ByteSource, start: number, line: number, options: FillOptions): Steps<void> {
  for (const { bytes, end, offset } of lineChunks(source, start)) {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, end);
    let i = 0;
    while (i < end) {
      let next = b.indexOf(0x0a, i);
      if (next < 0) next = end;
      line++;
      let stop = next;
      if (stop > i && b[stop - 1] === 0x0d) stop--;
      let p = i;
      while (p < stop && (b[p] === 0x20 || b[p] === 0x09)) p++;
      if (p < stop) {
        makeRoom(table);
        fillRow(table, b, i, stop, line);
        table.rows++;
        if ((table.rows & 4095) === 0 && options.shouldStop?.()) throw new LoadCancelled("cancelled while reading the data");
      }
      i = next + 1;
    }
    options.onProgress?.(offset + end, source.size);
    yield;
  }
}

export class LoadCancelled extends Error {}

const cellText = (b: Buffer, from: number, to: number): string => b.toString("utf8", from, to).trim();

function countCells(b: Buffer, from: number, stop: number): number {
  let cells = 1;
  for (let k = from; k < stop; k++) if (b[k] === 0x2c) cells++;
  return cells;
}

// One line's cells, [from, stop) without its line ending, into row table.rows.
function fillRow(table: Table, b: Buffer, from: number, stop: number, line: number): void {
  const { feature, target } = table;
  const width = feature.length;
  const x = table.x.data;
  const at = table.rows * table.featureIndices.length;
  let p = from;
  for (let c = 0; ; c++) {
    if (c === width) throw raggedRow(table, line, countCells(b, from, stop));
    // the common cell, an unsigned integer feature straight after the comma (MNIST's pixels), without the general path's checks
    let ch = b[p];
    if (ch >= 0x30 && ch <= 0x39 && feature[c] >= 0) {
      let m = ch - 0x30;
      let q = p + 1;
      while (q < stop && (ch = b[q]) >= 0x30 && ch <= 0x39) { m = m * 10 + (ch - 0x30); q++; }
      const last = q === stop;
      if ((last || ch === 0x2c) && m < exactDigits) {
        x[at + feature[c]] = m;
        if (!last) {
          p = q + 1;
          continue;
        }
        if (c + 1 !== width) throw raggedRow(table, line, c + 1);
        return;
      }
    }
    let q = p;
    while (q < stop && (b[q] === 0x20 || b[q] === 0x09)) q++;
    const negative = b[q] === 0x2d;
    if (negative || b[q] === 0x2b) q++;
    let digits = 0;
    let fraction = 0;
    let m = 0;
    while (q < stop && (ch = b[q]) >= 0x30 && ch <= 0x39) { m = m * 10 + (ch - 0x30); digits++; q++; }
    if (q < stop && b[q] === 0x2e) {
      q++;
      while (q < stop && (ch = b[q]) >= 0x30 && ch <= 0x39) { m = m * 10 + (ch - 0x30); digits++; fraction++; q++; }
    }
    while (q < stop && (b[q] === 0x20 || b[q] === 0x09)) q++;
    if (feature[c] >= 0 && digits > 0 && (q === stop || b[q] === 0x2c) && m < exactDigits && fraction < pow10.length) {
      const value = fraction === 0 ? m : m / pow10[fraction];
      x[at + feature[c]] = negative ? -value : value;
    } else {
      q = b.indexOf(0x2c, p);
      if (q < 0 || q > stop) q = stop;
      const cell = cellText(b, p, q);
      try {
        if (target[c] >= 0) putTarget(table, target[c], cell, line);
        else if (feature[c] >= 0) x[at + feature[c]] = cellValue(table, cell, line, c);
      } catch (failure) {
        // a ragged row is named as such, as csv-parse's path does, rather than by its first odd cell
        const cells = countCells(b, from, stop);
        throw cells === width ? failure : raggedRow(table, line, cells);
      }
    }
    if (q === stop) {
      if (c + 1 !== width) throw raggedRow(table, line, c + 1);
      return;
    }
    p = q + 1;
  }
}
