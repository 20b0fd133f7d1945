/** Export to a small PyTorch project (model.py, data.py, train.py, README). */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { regressionLosses, type Dataset } from "../../engine/index";
import type { TrainedModel } from "../../model/index";
import { writeFileAtomic } from "../../training/index";
import { ExportError } from "../errors";
import { checkExportable, className, modelPy } from "./module";
import { configJson, dataCsv, npyInt32, optimizerFile, shuffleOrders, splitIndices, targetNames, weightsFile } from "./project";
import { checkpointPy } from "./templates/checkpoint";
import { dataPy } from "./templates/data";
import { engineRngPy } from "./templates/engine-rng";
import { predictPy } from "./templates/predict";
import { readmeMd } from "./templates/readme";
import { trainPy } from "./templates/train";

export interface PytorchOptions {
  /** the folder to write (created if missing; existing files it would replace must be its own) */
  out: string;
  /** the model's rows, unsplit and unstandardised, for the exported data.py */
  dataset: Dataset;
  /** also write the engine's shuffling order of each epoch, so train.py replays the same batches */
  sameOrder?: boolean;
}

/** The file that marks a folder as this tool's export; only such a folder may be written into again. */
export const markerFile = ".nnet-export.json";
const markerTool = "nnet export --to pytorch";
/** The files one export writes and another may not: removed when an export into the same folder leaves them out. */
const optionalFiles = ["order.npy", "optimizer.safetensors"];

// The files an earlier export wrote into `out`, or a refusal when `out` holds anything else.
function earlierExport(out: string): string[] {
  if (!existsSync(out)) return [];
  if (!statSync(out).isDirectory()) throw new ExportError(`${out} is a file, not a folder`);
  if (readdirSync(out).length === 0) return [];
  const marker = join(out, markerFile);
  let files: unknown;
  try {
    const parsed = JSON.parse(readFileSync(marker, "utf8")) as { tool?: unknown; files?: unknown };
    if (parsed.tool === markerTool) files = parsed.files;
  } catch {
    files = undefined;
  }
  if (!Array.isArray(files)) throw new ExportError(`${out} is not empty and is not an earlier PyTorch export (it has no ${markerFile}); choose a new or empty folder`);
  // only files this export may write are ever removed, whatever the marker says
  return files.filter((f): f is string => typeof f === "string" && optionalFiles.includes(f));
}

/** Every file of the project, built in memory first so that a refusal writes nothing. */
function projectFiles(model: TrainedModel, options: PytorchOptions): Map<string, string | Uint8Array[]> {
  const spec = model.network;
  checkExportable(spec);
  const { dataset } = options;
  if (dataset.x.cols !== spec.input.units) throw new ExportError(`the data has ${dataset.x.cols} features; the network reads ${spec.input.units}`);
  const n = dataset.x.rows;
  const targets = targetNames(model, dataset.y.cols);
  const split = splitIndices(n, model.train.validation, model.train.seed);
  const from = model.source?.file ? basename(model.source.file) : `the model of ${spec.name}`;
  const files = new Map<string, string | Uint8Array[]>([
    ["model.py", modelPy(spec, model.features, from, model.standardiser !== undefined)],
    ["checkpoint.py", checkpointPy],
    ["data.py", dataPy],
    ["train.py", trainPy],
    ["engine_rng.py", engineRngPy],
    ["predict.py", predictPy],
    ["weights.safetensors", weightsFile(model)],
    ["data.csv", dataCsv(dataset, model.features, targets)],
    ["split.json", JSON.stringify(split) + "\n"],
    ["config.json", configJson(model, { targets, classification: dataset.classes !== undefined || !regressionLosses.has(spec.loss), sameOrder: !!options.sameOrder })],
  ]);
  const moments = optimizerFile(model);
  if (moments) files.set("optimizer.safetensors", moments);
  if (options.sameOrder) {
    const rows = split.train.length;
    files.set("order.npy", npyInt32(shuffleOrders(rows, model.train.epochs, model.epochs, model.train.seed, model.train.shuffle), [model.train.epochs, rows]));
  }
  files.set("README.md", readmeMd({
    network: spec.name, cls: className(spec), from, features: model.features, sameOrder: !!options.sameOrder,
    validation: model.train.validation, epochs: model.train.epochs, moments: moments !== undefined,
    trained: model.epochs, standardised: model.standardiser !== undefined,
  }));
  return files;
}

/** Writes the project; answers the files written. */
export function exportPytorch(model: TrainedModel, options: PytorchOptions): string[] {
  const files = projectFiles(model, options);
  const earlier = earlierExport(options.out);
  mkdirSync(options.out, { recursive: true });
  const names = [...files.keys()];
  // the marker first: a folder left half-written is still recognised as ours
  writeFileAtomic(join(options.out, markerFile), JSON.stringify({ tool: markerTool, files: [...new Set([...earlier, ...names])] }, null, 2) + "\n");
  for (const [name, content] of files) writeFileAtomic(join(options.out, name), content);
  for (const stale of earlier) if (!files.has(stale) && existsSync(join(options.out, stale))) unlinkSync(join(options.out, stale));
  writeFileAtomic(join(options.out, markerFile), JSON.stringify({ tool: markerTool, files: names }, null, 2) + "\n");
  return names;
}
