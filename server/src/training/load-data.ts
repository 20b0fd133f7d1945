/**
 * A job's data: generators, iris and inline rows through the engine, CSV
 * files through the guarded reader and the streaming CSV loader. Measured
 * data (iris, CSV) is standardised on the training part; the generators'
 * scales are chosen for unstandardised inputs and inline rows are left as
 * written.
 */
import { datasetFromSpec, targetColumnsOf, type Dataset } from "../engine/index";
import { statSync } from "node:fs";
import { csvDatasetFrom } from "./csv-data";
import type { FillOptions } from "./csv-rows";
import { fileSource } from "./csv-source";
import { checkDataFile } from "./data-files";
import type { DataRequest } from "./messages";

export function loadDataset(request: DataRequest, seed: number, options: FillOptions = {}): Dataset {
  const spec = request.spec;
  if (spec.kind !== "csv") return datasetFromSpec(spec, seed);
  if (!request.files) throw new Error("a CSV data source needs the workspace it may be read from");
  const csv = request.csv ?? {
    shown: spec.path, targets: targetColumnsOf(spec.target),
    ...(spec.features ? { features: spec.features } : {}), ...(spec.classes !== undefined ? { classes: spec.classes } : {}),
  };
  const real = checkDataFile(spec.path, csv.shown, request.files);
  return csvDatasetFrom(fileSource(real, statSync(real).size), csv, options);
}

export function shouldStandardise(request: DataRequest): boolean {
  return request.spec.kind === "csv" || request.spec.kind === "iris";
}
