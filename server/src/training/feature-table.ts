/**
 * Rows for a saved model: a CSV whose header names the model's features (in
 * any order), or rows typed on the command line. A CSV goes through the one
 * streaming loader (csv-data.ts), with its limit, its row and column errors,
 * its progress and its cancellation; predict takes it a batch at a time.
 */
import { resolve } from "node:path";
import { statSync } from "node:fs";
import { zeros, type Dataset, type Matrix } from "../engine/index";
import { targetColumns, type TrainedModel } from "../model/index";
import { csvBatchesAsync, csvDatasetAsync, csvHeader, CsvDataError, type Batch, type CsvRequest } from "./csv-data";
import type { FillOptions } from "./csv-rows";
import { fileSource, type ByteSource } from "./csv-source";
import { checkDataFile, DataFileError } from "./data-files";

export class TableError extends Error {}

export interface FeatureTable {
  /** raw n × features, one row per data row, in the model's order */
  x: Matrix;
  /** n × targets as training encodes them, when asked for */
  y?: Matrix;
}

export interface TableOptions extends FillOptions {
  /** default maxDataFileBytes; tests lower it */
  maxBytes?: number;
}

function number(cell: string, where: string): number {
  const value = cell.trim() === "" ? NaN : Number(cell);
  if (!Number.isFinite(value)) throw new TableError(`${where}: '${cell}' is not a finite number`);
  return value;
}

function columnsOf(header: string[], names: string[], file: string, what: string): void {
  const missing = names.filter((name) => !header.includes(name));
  if (missing.length > 0) throw new TableError(`${file}: no ${what} column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(", ")} (the header has ${header.join(", ")})`);
}

/** The model's refusals of a header: a missing feature or target, a column it does not know. */
function checkHeader(header: string[], model: TrainedModel, file: string, withTargets: boolean): void {
  columnsOf(header, model.features, file, "feature");
  const targetNames = targetColumns(model);
  if (withTargets) columnsOf(header, targetNames, file, "target");
  const known = new Set([...model.features, ...targetNames]);
  // a model that chose its features from a wider table reads them by name and leaves the other columns
  const chose = model.data?.spec.kind === "csv" && model.data.spec.features !== undefined;
  const extra = chose ? [] : header.filter((name) => !known.has(name));
  if (extra.length > 0) throw new TableError(`${file}: column${extra.length > 1 ? "s" : ""} ${extra.map((e) => `'${e}'`).join(", ")} ${extra.length > 1 ? "are" : "is"} not a feature of the model (its features: ${model.features.join(", ")})`);
}

function request(model: TrainedModel, file: string, withTargets: boolean): CsvRequest {
  const features = { shown: file, features: model.features };
  if (!withTargets) return { ...features, targets: [] };
  const targets = targetColumns(model);
  if (model.outputs.kind === "values") return { ...features, targets, targetKind: "regression" };
  return { ...features, targets, targetKind: "classes", labels: model.outputs.labels, classes: model.outputs.labels.length, fixedLabels: true };
}

// The file under the loader's checks: a regular file under the size limit. A path on the command line is the user's own, so no workspace rule.
function openTable(file: string, model: TrainedModel, withTargets: boolean, options: TableOptions): ByteSource {
  const real = checkDataFile(resolve(file), file, { root: resolve("."), allowOutsideWorkspace: true, ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}) });
  const source = fileSource(real, statSync(real).size);
  try {
    checkHeader(csvHeader(source, file), model, file, withTargets);
  } catch (failure) {
    source.close();
    throw failure;
  }
  return source;
}

// The loader's and the file checks' refusals read as the table's.
async function asTable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (failure) {
    if (failure instanceof CsvDataError || failure instanceof DataFileError) throw new TableError(failure.message);
    throw failure;
  }
}

// A model with one sigmoid unit reads its target as the class index; otherwise one row per class.
function targetsOf(model: TrainedModel, data: Dataset): Matrix {
  const single = model.outputs.kind === "classes" && model.network.layers[model.network.layers.length - 1].units === 1;
  if (!single) return data.y;
  const { rows: n, cols: classes } = data.y;
  const y = zeros(n, 1);
  for (let i = 0; i < n; i++) for (let k = 0; k < classes; k++) if (data.y.data[i * classes + k] === 1) y.data[i] = k;
  return y;
}

/** Reads a CSV for the model; `withTargets` also reads the target column(s) (evaluate). */
export function readFeatureTable(file: string, model: TrainedModel, withTargets: boolean, options: TableOptions = {}): Promise<FeatureTable> {
  return asTable(async () => {
    const data = await csvDatasetAsync(openTable(file, model, withTargets, options), request(model, file, withTargets), options);
    return { x: data.x, ...(withTargets ? { y: targetsOf(model, data) } : {}) };
  });
}

/** The model's features of a CSV a batch at a time (x is reused after onBatch returns); answers the number of rows. */
export function eachFeatureBatch(file: string, model: TrainedModel, size: number, onBatch: (batch: Batch) => void, options: TableOptions = {}): Promise<number> {
  return asTable(() => csvBatchesAsync(openTable(file, model, false, options), request(model, file, false), { ...options, batch: { size, onBatch } }));
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
