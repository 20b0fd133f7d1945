/**
 * Rows for a saved model: a CSV whose header names the model's features (in
 * any order), or rows typed on the command line. Every cell must be a finite
 * number; a missing or unknown column is an error naming it.
 */
import { readFileSync, statSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { zeros, type Matrix } from "../engine/index";
import { targetColumns, type TrainedModel } from "../model/index";
import { maxDataFileBytes } from "./data-files";

export class TableError extends Error {}

export interface FeatureTable {
  /** raw features × n, in the model's order */
  x: Matrix;
  /** targets × n as training encodes them, when asked for */
  y?: Matrix;
}

function number(cell: string, where: string): number {
  const value = cell.trim() === "" ? NaN : Number(cell);
  if (!Number.isFinite(value)) throw new TableError(`${where}: '${cell}' is not a finite number`);
  return value;
}

function targetEncoder(model: TrainedModel, rows: number): { y: Matrix; put(row: number, cells: string[], where: string): void } {
  const outputs = model.outputs;
  if (outputs.kind === "values") {
    const y = zeros(outputs.names.length, rows);
    return { y, put: (row, cells, where) => cells.forEach((cell, r) => (y.data[r * rows + row] = number(cell, where))) };
  }
  const single = model.network.layers[model.network.layers.length - 1].units === 1;
  const y = zeros(single ? 1 : outputs.labels.length, rows);
  return {
    y,
    put(row, [cell], where) {
      const index = outputs.labels.indexOf(cell.trim());
      if (index < 0) throw new TableError(`${where}: '${cell}' is not one of the model's classes (${outputs.labels.join(", ")})`);
      if (single) y.data[row] = index;
      else y.data[index * rows + row] = 1;
    },
  };
}

function columnsOf(header: string[], names: string[], file: string, what: string): number[] {
  const missing = names.filter((name) => !header.includes(name));
  if (missing.length > 0) throw new TableError(`${file}: no ${what} column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(", ")} (the header has ${header.join(", ")})`);
  return names.map((name) => header.indexOf(name));
}

/** Reads a CSV for the model; `withTargets` also reads the target column(s) (evaluate). */
export function readFeatureTable(file: string, model: TrainedModel, withTargets: boolean): FeatureTable {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > maxDataFileBytes) throw new TableError(`${file}: ${size} bytes is above the ${maxDataFileBytes}-byte limit for data files`);
    text = readFileSync(file, "utf8");
  } catch (failure) {
    if (failure instanceof TableError) throw failure;
    throw new TableError(`${file}: ${(failure as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (failure as Error).message}`);
  }
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, relax_column_count: false, bom: true, trim: true }) as string[][];
  } catch (failure) {
    throw new TableError(`${file}: not a readable CSV: ${(failure as Error).message}`);
  }
  const [header, ...body] = records;
  if (!header || body.length === 0) throw new TableError(`${file}: needs a header row and at least one data row`);
  const features = columnsOf(header, model.features, file, "feature");
  const targetNames = targetColumns(model);
  const targets = withTargets ? columnsOf(header, targetNames, file, "target") : [];
  const known = new Set([...model.features, ...targetNames]);
  // a model that chose its features from a wider table reads them by name and leaves the other columns
  const chose = model.data?.spec.kind === "csv" && model.data.spec.features !== undefined;
  const extra = chose ? [] : header.filter((name) => !known.has(name));
  if (extra.length > 0) throw new TableError(`${file}: column${extra.length > 1 ? "s" : ""} ${extra.map((e) => `'${e}'`).join(", ")} ${extra.length > 1 ? "are" : "is"} not a feature of the model (its features: ${model.features.join(", ")})`);
  const n = body.length;
  const x = zeros(features.length, n);
  const encoder = withTargets ? targetEncoder(model, n) : undefined;
  body.forEach((record, i) => {
    features.forEach((column, f) => (x.data[f * n + i] = number(record[column], `${file}: row ${i + 2}, column '${header[column]}'`)));
    encoder?.put(i, targets.map((column) => record[column]), `${file}: row ${i + 2}, column '${targetNames[0]}'`);
  });
  return { x, ...(encoder ? { y: encoder.y } : {}) };
}

/** `--rows "5.1 3.5 1.4 0.2; 6 3 4 1"`: rows separated by ';', values by spaces or commas. */
export function parseRowsArgument(text: string, model: TrainedModel): Matrix {
  const rows = text.split(";").map((row) => row.trim()).filter((row) => row.length > 0);
  if (rows.length === 0) throw new TableError("--rows has no rows");
  const width = model.features.length;
  const x = zeros(width, rows.length);
  rows.forEach((row, i) => {
    const cells = row.split(/[\s,]+/).filter((cell) => cell.length > 0);
    if (cells.length !== width) throw new TableError(`--rows: row ${i + 1} has ${cells.length} values; the model reads ${width} (${model.features.join(", ")})`);
    cells.forEach((cell, f) => (x.data[f * rows.length + i] = number(cell, `--rows: row ${i + 1}, value ${f + 1}`)));
  });
  return x;
}
