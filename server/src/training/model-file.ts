/**
 * Model files on disk: written atomically from a finished run (or a
 * checkpoint), read back with every problem named, and the rules for where
 * `--save` may write. docs/model-format.md describes the format.
 */
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import {
  decodeModel, encodeModel, ModelFileError, modelExtension, modelFormat, type ModelData, type TrainedModel,
} from "../model/index";
import type { OptimizerState, SavedWeights } from "../engine/index";
import type { JobRequest, JobResult } from "./messages";
import { outputsOf } from "./outputs";
import { targetProblem, writeFileAtomic, type WriteHooks } from "./save";
import { version } from "../../../package.json";

export function writeModelFile(path: string, model: TrainedModel, hooks?: WriteHooks): void {
  writeFileAtomic(path, encodeModel(model), hooks);
}

function readWhole(path: string): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    // its own buffer (never the shared pool), so the tensors can be viewed in place
    const bytes = new Uint8Array(new ArrayBuffer(size));
    let done = 0;
    while (done < size) {
      const read = readSync(fd, bytes, done, size - done, done);
      if (read === 0) break;
      done += read;
    }
    return done === size ? bytes : bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/** Reads and checks a model file; a ModelFileError message names the file and what is wrong. */
export function readModelFile(path: string): TrainedModel {
  let bytes: Uint8Array;
  try {
    if (statSync(path).isDirectory()) throw new ModelFileError(`${path}: is a folder, not a model file`);
    bytes = readWhole(path);
  } catch (failure) {
    if (failure instanceof ModelFileError) throw failure;
    const code = (failure as NodeJS.ErrnoException).code;
    throw new ModelFileError(`${path}: ${code === "ENOENT" ? "no such file" : (failure as Error).message}`);
  }
  try {
    return decodeModel(bytes);
  } catch (failure) {
    if (failure instanceof ModelFileError) throw new ModelFileError(`${path}: ${failure.message}`);
    throw failure;
  }
}

/** Whether the file at `path` starts as a model file does (only its header is read). */
export function isModelFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const prefix = new Uint8Array(8);
    if (readSync(fd, prefix, 0, 8, 0) !== 8) return false;
    const length = Number(new DataView(prefix.buffer).getBigUint64(0, true));
    if (length > 16 * 1024 * 1024) return false;
    const header = new Uint8Array(length);
    if (readSync(fd, header, 0, length, 8) !== length) return false;
    const parsed = JSON.parse(new TextDecoder().decode(header)) as { __metadata__?: { format?: string } };
    return parsed.__metadata__?.format === modelFormat;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export class ModelTargetError extends Error {}

/**
 * Refuses a --save target that would destroy something: the .nnet source, a
 * data file, any existing file that is not a model, or a folder that cannot
 * be written. Called before training starts.
 */
export function checkModelTarget(path: string, protect: { source?: string; data?: string[] } = {}): void {
  const target = resolve(path);
  const same = (other: string | undefined): boolean => other !== undefined && resolve(other) === target;
  if (same(protect.source)) throw new ModelTargetError(`${path}: is the .nnet source itself`);
  if (protect.data?.some(same)) throw new ModelTargetError(`${path}: is the training data`);
  const problem = targetProblem(path, { extension: modelExtension, what: "model", isOwn: isModelFile });
  if (problem) throw new ModelTargetError(problem);
}

// A CSV path relative to the model's folder, so the two can move together.
function dataOf(request: JobRequest, result: JobResult, folder: string): ModelData {
  const spec = request.data.spec;
  if (spec.kind !== "csv") return { spec };
  const path = isAbsolute(spec.path) ? relative(folder, spec.path) : spec.path;
  const labels = result.names?.classes ?? request.data.csv?.labels;
  const classes = request.data.csv?.classes ?? spec.classes;
  return {
    spec: { ...spec, path },
    csv: { target: spec.target, targetKind: labels ? "classes" : "regression", ...(labels ? { labels } : {}), ...(classes !== undefined ? { classes } : {}) },
  };
}

export interface RunSource {
  /** the .nnet file and its text */
  path?: string;
  text: string;
}

export interface ModelParts {
  request: JobRequest;
  result: JobResult;
  source: RunSource;
  /** where the file will be written (CSV paths are kept relative to it) */
  target: string;
  /** a checkpoint's weights instead of the result's */
  weights?: SavedWeights;
  optimizer?: OptimizerState;
  /** the model this run resumed, whose history comes first */
  resumed?: TrainedModel;
}

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

export function modelFromRun(parts: ModelParts): TrainedModel {
  const { request, result, source } = parts;
  const weights = parts.weights ?? result.weights;
  if (!weights) throw new Error(`the ${result.kind} job of '${result.network}' has no weights to save`);
  const folder = dirname(resolve(parts.target));
  // a resumed early-stopped model continues from its best epoch: the epochs after it are retrained
  const resumed = parts.resumed ? parts.resumed.history.filter((m) => m.epoch <= parts.resumed!.epochs) : [];
  const history = [...resumed, ...result.history];
  const stopped = parts.weights ? undefined : result.stopped;
  const last = (stopped && history.find((m) => m.epoch === stopped.bestEpoch)) || history[history.length - 1];
  const features = result.names?.features ?? Array.from({ length: request.network.input.units }, (_, i) => `${request.network.input.name}${i + 1}`);
  const optimizer = parts.optimizer ?? result.optimizer;
  const s = result.standardiser;
  return {
    network: request.network, features, outputs: outputsOf(request, result.names?.classes), weights,
    ...(s ? { standardiser: { mean: Float64Array.from(s.mean), std: Float64Array.from(s.std) } } : {}),
    ...(optimizer ? { optimizer } : {}),
    train: request.train, data: dataOf(request, result, folder),
    epochs: last?.epoch ?? parts.resumed?.epochs ?? 0, history, ...(stopped ? { stopped } : {}),
    ...(last ? { metrics: { loss: last.loss, ...pick(last), ...(result.metrics && !parts.weights ? { report: result.metrics } : {}) } } : {}),
    source: { file: source.path ? relative(folder, resolve(source.path)) || basename(source.path) : "untitled", network: request.network.name, sha256: sha256(source.text) },
    savedAt: new Date().toISOString(), createdBy: `nnet ${version}`,
  };
}

/**
 * A model written for `from`, as modelFromRun would have built it for `to`:
 * its source and CSV paths (kept relative to the model's folder) point to the
 * same files from the new folder, and it is saved now.
 */
export function retargetModel(model: TrainedModel, from: string, to: string): TrainedModel {
  const was = dirname(resolve(from));
  const folder = dirname(resolve(to));
  const moved = (path: string): string => {
    const absolute = resolve(was, path);
    return relative(folder, absolute) || basename(absolute);
  };
  const { data, source } = model;
  return {
    ...model,
    ...(data ? { data: data.spec.kind === "csv" ? { ...data, spec: { ...data.spec, path: moved(data.spec.path) } } : data } : {}),
    // "untitled" stands for a document without a file; a stored model's folder holds no such file
    ...(source ? { source: { ...source, file: source.file === "untitled" ? source.file : moved(source.file) } } : {}),
    savedAt: new Date().toISOString(),
  };
}

/** The .nnet source and the CSV a model names, as paths, for checkModelTarget. */
export function modelPaths(model: TrainedModel, at: string): { source?: string; data: string[] } {
  const folder = dirname(resolve(at));
  const spec = model.data?.spec;
  return {
    ...(model.source && model.source.file !== "untitled" ? { source: resolve(folder, model.source.file) } : {}),
    data: spec?.kind === "csv" ? [resolve(folder, spec.path)] : [],
  };
}

function pick(m: { accuracy?: number; valLoss?: number; valAccuracy?: number }): Partial<{ accuracy: number; valLoss: number; valAccuracy: number }> {
  return {
    ...(m.accuracy !== undefined ? { accuracy: m.accuracy } : {}),
    ...(m.valLoss !== undefined ? { valLoss: m.valLoss } : {}),
    ...(m.valAccuracy !== undefined ? { valAccuracy: m.valAccuracy } : {}),
  };
}
