/**
 * The header of a CSV source: the first non-blank record, found by a
 * quote-aware scan that stops at its end and parsed by csv-parse. The loader
 * and the checker's sample start their rows after it.
 */
import { parse as parseCsv } from "csv-parse/sync";
import type { ByteSource } from "./csv-source";
import { firstInvalidUtf8 } from "./utf8";

export interface HeaderRecord {
  /** the cells, or undefined for an empty file */
  cells?: string[];
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
      if (badByte >= 0) return { end, lines, unusual: false, badByte, bytes };
      const records = parseCsv(bytes, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
      return { ...(records[0] ? { cells: records[0] } : {}), end, lines, unusual: records.length > 1, badByte, bytes };
    }
    if (filled === buffer.length) {
      const grown = Buffer.alloc(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
    }
  }
}
