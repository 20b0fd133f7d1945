/**
 * What a data source gives: features → targets and, where known, rows.
 * CSV files are read through the host's FileAccess; nothing here does I/O.
 */
import type * as ast from "../syntax/ast";
import type { DataSpec, GeneratorName } from "../../engine/index";
import { dataSources, generatorNames, irisRows, lookup, type NameInfo } from "./catalog";
import { rangeProblem } from "./ranges";
import { csvShape, readCsvHeader, readCsvTable, type CsvColumns, type CsvProblem } from "./csv";
import { columnProblemMessage, type ColumnProblem } from "./columns";
import type { DataModel, Diagnostic, FileAccess } from "./model";
import { findArg, paramValue, numberArg, stringArg } from "./args";

export interface DataContext {
  path?: string;
  files?: FileAccess;
}

function describeInline(entry: ast.DataEntry, inline: ast.InlineData): DataModel {
  const rows = inline.rows.filter((row) => row.arrow);
  const first = rows[0];
  return {
    entry,
    features: first?.features.length,
    targets: first?.targets.length,
    rows: inline.rows.length,
    spec: { kind: "inline", rows: rows.map((row) => ({ x: row.features.map((n) => n.value), y: row.targets.map((n) => n.value) })) },
    issues: [],
  };
}

// A count outside its range is an error at its token: no shape is derived from it, so no second error repeats it as units.
function inRange(info: NameInfo, name: string, value: number): boolean {
  const range = info.params.find((param) => param.name === name)?.range;
  return !range || rangeProblem(range, value) === undefined;
}

function describeGenerator(entry: ast.DataEntry, call: ast.Call, name: GeneratorName): DataModel {
  const info = lookup(dataSources, name)!;
  const samples = paramValue(call, info, "samples");
  const noise = paramValue(call, info, "noise");
  const classes = name === "spiral" ? paramValue(call, info, "classes") : 2;
  const spec: DataSpec = { kind: "generator", name, samples, noise, classes };
  const targets = name === "spiral" && classes > 2 ? classes : 1;
  const model: DataModel = { entry, features: info.features, rows: samples, spec, issues: [] };
  return inRange(info, "classes", classes) ? { ...model, targets } : model;
}

const csvIssue = (span: ast.Span, code: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code,
  severity: "error",
  span,
  message,
  ...extra,
});

function csvPath(call: ast.Call): ast.StringLit | undefined {
  const positional = call.args.find((arg) => !arg.name && arg.value?.kind === "string");
  return positional?.value?.kind === "string" ? positional.value.string : stringArg(call, "path");
}

/** A column argument's names: one string or a list of them (the argument check reports anything else). */
function columnNames(call: ast.Call, name: string): ast.StringLit[] | undefined {
  const value = findArg(call, name)?.value;
  if (value?.kind === "string") return [value.string];
  if (value?.kind !== "list") return undefined;
  const names = value.items.flatMap((item) => (item.kind === "string" ? [item.string] : []));
  return names.length === value.items.length ? names : undefined;
}

interface WrittenColumns {
  targets: ast.StringLit[];
  features?: ast.StringLit[];
}

function columnIssue(problem: ColumnProblem, written: WrittenColumns, header: string[], path: ast.StringLit): Diagnostic {
  const message = columnProblemMessage(problem, header, path.value);
  if (problem.kind === "no-features") return csvIssue(path.span, "nnet/csv-invalid", message);
  const item = problem.kind === "both" || problem.role === "feature" ? written.features![problem.index] : written.targets[problem.index];
  if (problem.kind !== "unknown") return csvIssue(item.span, "nnet/csv-column-conflict", message);
  const fixes = problem.suggestion ? [{ title: `Use column '${problem.suggestion}'`, edits: [{ span: item.span, newText: JSON.stringify(problem.suggestion) }] }] : undefined;
  return csvIssue(item.span, "nnet/csv-missing-column", message, { fixes });
}

// A non-numeric column is reported at its name where one is written, else at the path.
function problemSpan(problem: CsvProblem, written: WrittenColumns, path: ast.StringLit): ast.Span {
  const named = problem.name === undefined ? undefined : [...(written.features ?? []), ...written.targets].find((item) => item.value === problem.name);
  return named?.span ?? path.span;
}

function describeCsv(entry: ast.DataEntry, call: ast.Call, context: DataContext): DataModel {
  const path = csvPath(call);
  const targets = columnNames(call, "target");
  const features = columnNames(call, "features");
  const model: DataModel = { entry, issues: [] };
  // a features argument that is not a list of names is the argument check's error; guessing columns would add more
  const badFeatures = findArg(call, "features") !== undefined && (!features || features.length === 0);
  if (!path || !context.files) return model;
  const resolved = context.files.resolve(context.path, path.value);
  if (!targets || targets.length === 0 || badFeatures) {
    // columns still being written: no shape to check, but the header names the columns completion offers
    const text = context.files.readFile(resolved, { targets: targets?.map((t) => t.value) ?? [] });
    const header = text === undefined ? [] : readCsvHeader(text);
    return header.length > 0 ? { ...model, header } : model;
  }
  const classesArg = findArg(call, "classes");
  const classes = numberArg(call, "classes", NaN);
  const badClasses = !Number.isNaN(classes) && !inRange(lookup(dataSources, "csv")!, "classes", classes);
  const columns: CsvColumns = { targets: targets.map((t) => t.value), ...(features ? { features: features.map((f) => f.value) } : {}) };
  model.path = resolved;
  model.csv = { written: path.value, ...columns };
  model.spec = {
    kind: "csv", path: resolved, target: targets.length === 1 ? targets[0].value : columns.targets,
    ...(columns.features ? { features: columns.features } : {}), ...(Number.isFinite(classes) ? { classes } : {}),
  };
  if (targets.length > 1 && classesArg) {
    model.issues.push(csvIssue(classesArg.span, "nnet/csv-invalid", "classes reads one target column as class labels; several target columns are numeric outputs (regression)"));
  }
  const use = { targets: columns.targets };
  const text = context.files.readFile(resolved, use);
  if (text === undefined) {
    const why = context.files.whyUnreadable?.(resolved, use);
    const message = why ?? `cannot read the CSV file '${path.value}' (looked for ${resolved}); check the path, which is relative to this .nnet file`;
    model.issues.push(csvIssue(path.span, "nnet/csv-missing-file", message));
    return model;
  }
  const table = readCsvTable(text);
  if (table.header.length > 0) model.header = table.header;
  if (table.header.length === 0) {
    for (const problem of table.problems) model.issues.push(csvIssue(path.span, "nnet/csv-invalid", `${path.value}: ${problem.message}`));
    return model;
  }
  const shape = csvShape(table, columns, Number.isFinite(classes) && !badClasses ? classes : undefined);
  const written = { targets, ...(features ? { features } : {}) };
  if (shape.selection.problems.length > 0) {
    for (const problem of shape.selection.problems) model.issues.push(columnIssue(problem, written, table.header, path));
    return model;
  }
  for (const problem of shape.problems) {
    model.issues.push(csvIssue(problemSpan(problem, written, path), "nnet/csv-invalid", `${path.value}: ${problem.message}`));
  }
  model.csv = { ...model.csv, featureColumns: shape.featureColumns };
  if (shape.rows === 0) {
    // with no rows there is no target to count: say so instead of asking for an output of 0 units;
    // rows that were all malformed are reported above, and the file does have rows
    if (shape.problems.length === 0) model.issues.push(csvIssue(path.span, "nnet/csv-invalid", `${path.value}: the CSV file has a header but no data rows`));
    Object.assign(model, { features: shape.features, ...(shape.problems.length === 0 ? { rows: 0 } : {}) });
  } else if (badClasses) {
    Object.assign(model, { features: shape.features, rows: shape.rows });
  } else {
    const rows = context.files.sampledRows?.(resolved, use) ?? shape.rows;
    Object.assign(model, { features: shape.features, targets: shape.targets, rows, labels: shape.labels, targetKind: shape.targetKind });
    if (shape.numericValues) model.numericTarget = { column: targets[0].value, ...shape.numericValues };
  }
  return model;
}

/** The shape of a data entry's source; unknown names give an empty model (the name check reports them). */
export function describeData(entry: ast.DataEntry, context: DataContext): DataModel {
  const source = entry.source;
  if (!source) return { entry, issues: [] };
  if (source.kind === "inline") return describeInline(entry, source);
  const name = source.name?.text ?? "";
  if ((generatorNames as readonly string[]).includes(name)) return describeGenerator(entry, source, name as GeneratorName);
  if (name === "iris") return { entry, features: 4, targets: 3, rows: irisRows, spec: { kind: "iris" }, issues: [] };
  if (name === "csv") return describeCsv(entry, source, context);
  return { entry, issues: [] };
}
