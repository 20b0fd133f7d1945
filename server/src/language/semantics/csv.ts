/**
 * A CSV table with a header: read with csv-parse (quotes, embedded commas,
 * BOM and CRLF handled), never by splitting on commas. The checker reads
 * shapes from it and the training layer reads the rows from it.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { selectColumns, type ColumnSelection } from "./columns";

export interface CsvProblem {
  /** 1-based line of the file, when known */
  line?: number;
  /** 1-based column, when known */
  column?: number;
  /** the header of the column the problem is in, when it is one column's */
  name?: string;
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

/** The header row alone, read from the first record only (quoted line breaks kept): for a source whose columns are not written yet. */
export function readCsvHeader(text: string): string[] {
  let quoted = false;
  let content = false;
  let end = 0;
  // the first record ends at the first line break outside quotes after some content (blank lines before it are skipped)
  for (; end < text.length; end++) {
    const c = text[end];
    if (c === '"') quoted = !quoted;
    if (c === "\n" || c === "\r") {
      if (!quoted && content) break;
    } else if (c.trim() !== "") content = true;
  }
  return readCsvTable(text.slice(0, end)).header;
}

/** The columns a csv(…) source names: its target(s) and, when written, its features in order. */
export interface CsvColumns {
  targets: string[];
  features?: string[];
}

export interface CsvShape {
  featureColumns: string[];
  targetColumns: string[];
  /** header indices, as selectColumns chose them */
  selection: ColumnSelection;
  /** "regression" for numeric targets, "classes" for a text one or `classes:` */
  targetKind: "regression" | "classes";
  /** the class labels in order of first appearance (classes only) */
  labels: string[];
  features: number;
  targets: number;
  rows: number;
  /** a single numeric target's distinct values, and whether all are whole numbers (class labels written as numbers) */
  numericValues?: { distinct: number; whole: boolean };
  problems: CsvProblem[];
}

/** The first non-numeric cells of the given columns, at most 5; `name` is the column's header. */
function numericProblems(table: CsvTable, columns: number[], role: string): CsvProblem[] {
  const problems: CsvProblem[] = [];
  const reported = new Set<number>();
  for (let r = 0; r < table.rows.length && problems.length < 5; r++) {
    for (const c of columns) {
      const cell = table.rows[r][c];
      if (reported.has(c) || isNumeric(cell)) continue;
      reported.add(c);
      problems.push({ line: r + 2, column: c + 1, name: table.header[c], message: `the ${role} column '${table.header[c]}' is not numeric: row ${r + 2}, column ${c + 1} holds '${cell}'` });
    }
  }
  return problems;
}

/**
 * The shape the chosen columns give: numeric targets are regression (one
 * output each), a single text target (or `classes:`) is one-hot over its labels.
 */
export function csvShape(table: CsvTable, columns: CsvColumns, classes?: number): CsvShape {
  const selection = selectColumns(table.header, columns.targets, columns.features);
  const cells = (c: number): string[] => table.rows.map((row) => row[c]);
  const targetCells = selection.targets.length === 1 ? cells(selection.targets[0]) : [];
  const numericTargets = selection.targets.every((c) => cells(c).every(isNumeric));
  // several targets are always regression; classes with them is the checker's error at `classes`
  const regression = selection.targets.length > 1 || (classes === undefined && targetCells.length > 0 && numericTargets);
  const labels = regression || selection.targets.length !== 1 ? [] : [...new Set(targetCells)];
  const problems: CsvProblem[] = [...table.problems, ...numericProblems(table, selection.features, "feature")];
  if (selection.targets.length > 1) problems.push(...numericProblems(table, selection.targets, "target"));
  const target = columns.targets[0];
  if (classes !== undefined && !regression && labels.length > classes) {
    problems.push({ message: `the target column '${target}' has ${labels.length} distinct values but classes is ${classes}` });
  }
  const featureColumns = selection.features.map((c) => table.header[c]);
  const targetColumns = selection.targets.map((c) => table.header[c]);
  return {
    featureColumns, targetColumns, selection,
    targetKind: regression ? "regression" : "classes",
    labels,
    features: featureColumns.length,
    // more labels than classes is reported above; counting them all keeps a second, contradictory error away
    targets: regression ? selection.targets.length : Math.max(classes ?? 0, labels.length),
    rows: table.rows.length,
    ...(regression && targetCells.length > 0
      ? { numericValues: { distinct: new Set(targetCells.map(Number)).size, whole: targetCells.every((cell) => Number.isInteger(Number(cell))) } }
      : {}),
    problems,
  };
}

/** The rows as numbers: the chosen features in order, the targets as values or a one-hot vector. */
export function csvRows(table: CsvTable, shape: CsvShape): { x: number[]; y: number[] }[] {
  const { features, targets } = shape.selection;
  return table.rows.map((row) => {
    const x = features.map((c) => Number(row[c]));
    if (shape.targetKind === "regression") return { x, y: targets.map((c) => Number(row[c])) };
    const y = new Array<number>(shape.targets).fill(0);
    y[shape.labels.indexOf(row[targets[0]])] = 1;
    return { x, y };
  });
}
