/**
 * A CSV table with a header: read with csv-parse (quotes, embedded commas,
 * BOM and CRLF handled), never by splitting on commas. The checker reads
 * shapes from it and the training layer reads the rows from it.
 */
import { parse as parseCsv } from "csv-parse/sync";

export interface CsvProblem {
  /** 1-based line of the file, when known */
  line?: number;
  /** 1-based column, when known */
  column?: number;
  message: string;
}

export interface CsvTable {
  header: string[];
  /** data rows, without the header; every row has header.length cells */
  rows: string[][];
  problems: CsvProblem[];
}

function lineOf(failure: unknown): number | undefined {
  const line = (failure as { lines?: unknown }).lines;
  return typeof line === "number" ? line : undefined;
}

/** Reads the header and the rows; a malformed file gives problems, never a throw. */
export function readCsvTable(text: string): CsvTable {
  let records: string[][];
  try {
    records = parseCsv(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (failure) {
    const message = failure instanceof Error ? failure.message : String(failure);
    return { header: [], rows: [], problems: [{ line: lineOf(failure), message: `the CSV could not be read: ${message}` }] };
  }
  if (records.length === 0) return { header: [], rows: [], problems: [{ line: 1, message: "the CSV file is empty; it needs a header row" }] };
  const [header, ...body] = records;
  const problems: CsvProblem[] = [];
  const rows: string[][] = [];
  body.forEach((row, index) => {
    if (row.length === header.length) rows.push(row);
    else problems.push({ line: index + 2, message: `row ${index + 2} has ${row.length} cells; the header has ${header.length}` });
  });
  return { header, rows, problems };
}

const isNumeric = (cell: string): boolean => cell !== "" && Number.isFinite(Number(cell));

export interface CsvShape {
  featureColumns: string[];
  /** "regression" for a numeric target, "classes" for a text one */
  targetKind: "regression" | "classes";
  /** the class labels in order of first appearance (classes only) */
  labels: string[];
  features: number;
  targets: number;
  rows: number;
  /** a numeric target's distinct values, and whether all are whole numbers (class labels written as numbers) */
  numericValues?: { distinct: number; whole: boolean };
  problems: CsvProblem[];
}

function featureProblems(table: CsvTable, targetIndex: number): CsvProblem[] {
  const problems: CsvProblem[] = [];
  for (let r = 0; r < table.rows.length && problems.length < 5; r++) {
    table.rows[r].forEach((cell, c) => {
      if (c !== targetIndex && !isNumeric(cell) && problems.length < 5) {
        problems.push({ line: r + 2, column: c + 1, message: `row ${r + 2}, column ${c + 1} ('${table.header[c]}'): '${cell}' is not a number` });
      }
    });
  }
  return problems;
}

/** The shape a target column gives: a numeric one is regression, a text one is one-hot over its labels. */
export function csvShape(table: CsvTable, target: string, classes?: number): CsvShape | undefined {
  const targetIndex = table.header.indexOf(target);
  if (targetIndex < 0) return undefined;
  const cells = table.rows.map((row) => row[targetIndex]);
  const regression = cells.length > 0 && cells.every(isNumeric) && classes === undefined;
  const labels = regression ? [] : [...new Set(cells)];
  const problems = [...table.problems, ...featureProblems(table, targetIndex)];
  if (classes !== undefined && labels.length > classes) {
    problems.push({ message: `the target column '${target}' has ${labels.length} distinct values but classes is ${classes}` });
  }
  const featureColumns = table.header.filter((_, c) => c !== targetIndex);
  return {
    featureColumns,
    targetKind: regression ? "regression" : "classes",
    labels,
    features: featureColumns.length,
    // more labels than classes is reported above; counting them all keeps a second, contradictory error away
    targets: regression ? 1 : Math.max(classes ?? 0, labels.length),
    rows: table.rows.length,
    ...(regression ? { numericValues: { distinct: new Set(cells.map(Number)).size, whole: cells.every((cell) => Number.isInteger(Number(cell))) } } : {}),
    problems,
  };
}

/** The rows as numbers: features in column order, the target as a value or a one-hot vector. */
export function csvRows(table: CsvTable, shape: CsvShape, target: string): { x: number[]; y: number[] }[] {
  const targetIndex = table.header.indexOf(target);
  return table.rows.map((row) => {
    const x = row.filter((_, c) => c !== targetIndex).map(Number);
    if (shape.targetKind === "regression") return { x, y: [Number(row[targetIndex])] };
    const y = new Array<number>(shape.targets).fill(0);
    y[shape.labels.indexOf(row[targetIndex])] = 1;
    return { x, y };
  });
}
