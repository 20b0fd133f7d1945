/**
 * A job's data: generators, iris and inline rows through the engine, CSV
 * files through the guarded reader and the streaming CSV loader. Measured
 * data (iris, CSV) is standardised on the training part; the generators'
 * scales are chosen for unstandardised inputs and inline rows are left as
 * written.
 */
import { datasetFromSpec, targetColumnsOf, type Dataset } from "../engine/index";
import { statSync } from "node:fs";
import { csvDatasetAsync, csvDatasetFrom, type CsvRequest } from "./csv-data";
import type { FillOptions } from "./csv-rows";
import { fileSource, type ByteSource } from "./csv-source";
import { checkDataFile } from "./data-files";
import type { DataRequest } from "./messages";

// The checked file and what to read of it.
function csvSource(request: DataRequest, spec: Extract<DataRequest["spec"], { kind: "csv" }>): { source: ByteSource; csv: CsvRequest } {
  if (!request.files) throw new Error("a CSV data source needs the workspace it may be read from");
  const csv = request.csv ?? {
    shown: spec.path, targets: targetColumnsOf(spec.target),
    ...(spec.features ? { features: spec.features } : {}), ...(spec.classes !== undefined ? { classes: spec.classes } : {}),
  };
  const real = checkDataFile(spec.path, csv.shown, request.files);
  return { source: fileSource(real, statSync(real).size), csv };
}

export function loadDataset(request: DataRequest, seed: number, options: FillOptions = {}): Dataset {
  const spec = request.spec;
  if (spec.kind !== "csv") return datasetFromSpec(spec, seed);
  const { source, csv } = csvSource(request, spec);
  return csvDatasetFrom(source, csv, options);
}

/** The same, giving way to the event loop while a CSV loads (the CLI and the server's main thread). */
export async function loadDatasetAsync(request: DataRequest, seed: number, options: FillOptions = {}): Promise<Dataset> {
  const spec = request.spec;
  if (spec.kind !== "csv") return datasetFromSpec(spec, seed);
  const { source, csv } = csvSource(request, spec);
  return csvDatasetAsync(source, csv, options);
}

export function shouldStandardise(request: DataRequest): boolean {
  return request.spec.kind === "csv" || request.spec.kind === "iris";
}
