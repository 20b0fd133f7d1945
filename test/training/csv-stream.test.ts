/**
 * The streaming CSV loader against csv-parse: on generated files full of
 * edge cases (quotes, CRLF, a BOM, blank lines, padded cells, signs, long
 * digit strings, exponents, empty and non-numeric cells) it loads the same
 * numbers, bit for bit, as csv-parse's records through Number(), or fails on
 * the same row and column. Large files cross the reader's chunk boundaries.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { CsvDataError, csvDataset, loadDataset } from "../../server/src/training/index";
import { removeWorkspaces, workspace } from "./helpers";

afterAll(removeWorkspaces);

type Expected = { x: number[][]; targets: string[] } | { row: number; column?: number };

/** What csv-parse makes of the text: features × rows, the target cells, or where a cell is bad. */
function reference(text: string, target: string): Expected {
  let records: { record: string[]; line: number }[];
  const lines: number[] = [];
  try {
    const parsed = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, on_record: (record, context) => (lines.push(context.lines), record) });
    records = parsed.map((record, i) => ({ record, line: lines[i] }));
  } catch (failure) {
    return { row: (failure as { lines: number }).lines };
  }
  const [{ record: header }, ...rows] = records;
  const t = header.indexOf(target);
  const x: number[][] = header.filter((_, c) => c !== t).map(() => []);
  const targets: string[] = [];
  for (const { record, line } of rows) {
    if (record.length !== header.length) return { row: line };
    for (let c = 0; c < record.length; c++) {
      if (c === t) { targets.push(record[c]); continue; }
      const value = record[c] === "" ? NaN : Number(record[c]);
      if (!Number.isFinite(value)) return { row: line, column: c + 1 };
      x[c < t ? c : c - 1].push(value);
    }
  }
  return { x, targets };
}

function loaded(text: string, target: string): Expected {
  try {
    const data = csvDataset(text, { shown: "d.csv", targets: [target], targetKind: "classes" });
    const n = data.x.rows;
    const features = data.x.cols;
    const x = Array.from({ length: features }, (_, f) => Array.from({ length: n }, (_, i) => data.x.data[i * features + f]));
    const classes = data.y.cols;
    const targets = Array.from({ length: n }, (_, i) => data.classNames![Array.from(data.y.data.subarray(i * classes, (i + 1) * classes)).indexOf(1)]);
    return { x, targets };
  } catch (failure) {
    if (!(failure instanceof CsvDataError)) throw failure;
    return { row: failure.row!, ...(failure.column !== undefined ? { column: failure.column } : {}) };
  }
}

// Object.is tells -0 from 0, which toEqual does not
const sameBits = (a: Expected, b: Expected): boolean => JSON.stringify(a, (_, v) => (Object.is(v, -0) ? "-0" : v)) === JSON.stringify(b, (_, v) => (Object.is(v, -0) ? "-0" : v));

const numbers = ["0", "1", "-2", "+3", " 4 ", "\t5", "0.5", ".25", "7.", "-0", "-0.0", "1e3", "2.5E-3", "0x1A", "123456789012345", "1234567890123456789",
  "0.1", "0.30000000000000004", "3.141592653589793238", "00012.500", "9007199254740993", "1.7976931348623157e308"];
const unusual = ["", "abc", "NaN", "Infinity", "1e999", "-", ".", "1.2.3", "1,5", "\"6\"", "\" 7 \"", "\"8\"\"\"", "\"a\nb\""];
const cell = (odd: boolean) => fc.oneof({ weight: odd ? 1 : 20, arbitrary: fc.constantFrom(...unusual) }, { weight: 20, arbitrary: fc.constantFrom(...numbers) });
const file = (odd: boolean) => fc.record({
  bom: fc.boolean(),
  eol: fc.constantFrom("\n", "\r\n"),
  quotedHeader: fc.boolean(),
  rows: fc.array(fc.tuple(fc.array(cell(odd), { minLength: 2, maxLength: 2 }), fc.constantFrom("cat", "dog", " eel "), fc.constantFrom("", "  ", " \t ", "x")), { minLength: 1, maxLength: 12 }),
  last: fc.boolean(),
}).map(({ bom, eol, quotedHeader, rows, last }) => {
  const lines = [`${bom ? "\uFEFF" : ""}${quotedHeader ? '"a, first"' : "a"},b,label`];
  for (const [cells, label, extra] of rows) {
    lines.push(`${cells.join(",")},${label}`);
    if (extra !== "x") lines.push(extra);
  }
  return lines.join(eol) + (last ? eol : "");
});

describe("the streaming CSV loader", () => {
  it("loads what csv-parse reads, bit for bit, or fails at the same row and column (numeric files)", () => {
    fc.assert(fc.property(file(false), (text) => sameBits(loaded(text, "label"), reference(text, "label"))), { numRuns: 400 });
  });

  it("the same with quotes, empty, non-numeric and non-finite cells", () => {
    fc.assert(fc.property(file(true), (text) => sameBits(loaded(text, "label"), reference(text, "label"))), { numRuns: 400 });
  });

  it("agrees across chunk boundaries on a 2.5 MB file, with and without quotes", () => {
    const lines = ["p,q,r,label"];
    for (let i = 0; i < 80_000; i++) lines.push(`${numbers[i % numbers.length]},${(i * 0.37).toFixed(i % 7)},${-i / 3},${i % 3 ? "a" : "b"}`);
    const plain = lines.join("\r\n") + "\r\n";
    expect(plain.length).toBeGreaterThan(2.5 * 2 ** 20);
    expect(sameBits(loaded(plain, "label"), reference(plain, "label"))).toBe(true);
    const quoted = plain.replace("\r\n7.", '\r\n"7."');
    expect(sameBits(loaded(quoted, "label"), reference(quoted, "label"))).toBe(true);
  });

  it("numbers rows by the lines an editor shows when a file mixes LF and CRLF (csv-parse counts a CR as a line of its own)", () => {
    expect(() => csvDataset("a,b,label\n0,0,cat\r\n0,,cat\n", { shown: "d.csv", targets: ["label"] })).toThrow("d.csv: row 3, column 2 ('b'): '' is empty");
  });

  it("names the row and column of a bad cell late in a large file", () => {
    const lines = ["p,label"];
    for (let i = 0; i < 300_000; i++) lines.push(`${i},a`);
    lines[250_000] = "1x,a";
    expect(() => csvDataset(lines.join("\n"), { shown: "d.csv", targets: ["label"] })).toThrow("d.csv: row 250001, column 1 ('p'): '1x' is not a number");
  });

  it("reads a file from disk, reports its progress in bytes and stops when asked", () => {
    const lines = ["p,label"];
    for (let i = 0; i < 300_000; i++) lines.push(`${i / 7},${i % 2}`);
    const dir = workspace({ "d.csv": lines.join("\n") });
    const data = { spec: { kind: "csv", path: join(dir, "d.csv"), target: "label" } as const, files: { root: dir } };
    const progress: number[] = [];
    const loadedData = loadDataset(data, 1, { onProgress: (done, total) => progress.push(done / total) });
    expect(loadedData.x.rows).toBe(300_000);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    let asked = 0;
    expect(() => loadDataset(data, 1, { shouldStop: () => ++asked > 3 })).toThrow("cancelled while reading the data");
    writeFileSync(join(dir, "d.csv"), "");
  });
});
