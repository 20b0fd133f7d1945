/**
 * What a data source gives: features → targets and, where known, rows.
 * CSV files are read through the host's FileAccess; nothing here does I/O.
 */
import type * as ast from "../syntax/ast";
import type { DataSpec, GeneratorName } from "../../engine/spec";
import { dataSources, generatorNames, irisRows, lookup } from "./catalog";
import { csvShape, readCsvTable } from "./csv";
import type { DataModel, Diagnostic, FileAccess } from "./model";
import { paramValue, numberArg, stringArg } from "./args";
import { closest, didYouMean } from "../suggest";

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

function describeGenerator(entry: ast.DataEntry, call: ast.Call, name: GeneratorName): DataModel {
  const info = lookup(dataSources, name)!;
  const samples = paramValue(call, info, "samples");
  const noise = paramValue(call, info, "noise");
  const classes = name === "spiral" ? paramValue(call, info, "classes") : 2;
  const spec: DataSpec = { kind: "generator", name, samples, noise, classes };
  const targets = name === "spiral" && classes > 2 ? classes : 1;
  return { entry, features: info.features, targets, rows: samples, spec, issues: [] };
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

function targetIssue(target: ast.StringLit, header: string[], file: string): Diagnostic {
  const suggestion = closest(target.value, header);
  const fixes = suggestion ? [{ title: `Use column '${suggestion}'`, edits: [{ span: target.span, newText: JSON.stringify(suggestion) }] }] : undefined;
  return csvIssue(
    target.span,
    "nnet/csv-missing-column",
    `the CSV file '${file}' has no column '${target.value}'; its columns are ${header.map((h) => `'${h}'`).join(", ")}${didYouMean(suggestion)}`,
    { fixes },
  );
}

function describeCsv(entry: ast.DataEntry, call: ast.Call, context: DataContext): DataModel {
  const path = csvPath(call);
  const target = stringArg(call, "target");
  const model: DataModel = { entry, issues: [] };
  if (!path || !target || !context.files) return model;
  const resolved = context.files.resolve(context.path, path.value);
  const classes = numberArg(call, "classes", NaN);
  model.path = resolved;
  model.spec = { kind: "csv", path: resolved, target: target.value, ...(Number.isFinite(classes) ? { classes } : {}) };
  const use = { targets: [target.value] };
  const text = context.files.readFile(resolved, use);
  if (text === undefined) {
    const why = context.files.whyUnreadable?.(resolved, use);
    const message = why ?? `cannot read the CSV file '${path.value}' (looked for ${resolved}); check the path, which is relative to this .nnet file`;
    model.issues.push(csvIssue(path.span, "nnet/csv-missing-file", message));
    return model;
  }
  const table = readCsvTable(text);
  const shape = table.header.length > 0 ? csvShape(table, target.value, Number.isFinite(classes) ? classes : undefined) : undefined;
  if (table.header.length > 0 && !shape) model.issues.push(targetIssue(target, table.header, path.value));
  for (const problem of shape?.problems ?? table.problems) {
    model.issues.push(csvIssue(path.span, "nnet/csv-invalid", `${path.value}: ${problem.message}`));
  }
  if (shape && shape.rows === 0) {
    // with no rows there is no target to count: say so instead of asking for an output of 0 units;
    // rows that were all malformed are reported above, and the file does have rows
    if (shape.problems.length === 0) model.issues.push(csvIssue(path.span, "nnet/csv-invalid", `${path.value}: the CSV file has a header but no data rows`));
    Object.assign(model, { features: shape.features, ...(shape.problems.length === 0 ? { rows: 0 } : {}) });
  } else if (shape) {
    const rows = context.files.sampledRows?.(resolved, use) ?? shape.rows;
    Object.assign(model, { features: shape.features, targets: shape.targets, rows, labels: shape.labels });
    if (shape.numericValues) model.numericTarget = { column: target.value, ...shape.numericValues };
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
