/**
 * What `nnet train` does around the run with model files: --resume reads a
 * model and checks it fits the network, --save is checked before training
 * starts, checkpoints are written as they come, and a stopped run keeps its
 * last completed epoch.
 */
import {
  checkModelTarget, modelFromRun, ModelTargetError, readModelFile, sha256, writeModelFile,
  type CheckpointMessage, type Compiled, type HostOptions, type JobResult,
} from "../training/index";
import { ModelFileError, type TrainedModel } from "../model/index";
import { exit, type Io } from "./registry";
import { compileFile, reporter, type CompiledFile, type FileArgs } from "./train";

export interface SaveArgs {
  file: string;
  values: Omit<FileArgs, "file"> & { save?: string; resume?: string };
  epochs?: number;
  seed?: number;
  threads?: number;
  checkpointEvery?: number;
  json: boolean;
}

export interface SavePlan {
  compiled: CompiledFile;
  host: HostOptions;
  /** the number the last epoch will have */
  lastEpoch: number;
  /** saves the result when it should be kept: the path, undefined if nothing was saved, false if saving failed */
  finish(result: JobResult): string | undefined | false;
  /** the closing line about what was kept, if there is one */
  closing(status: "completed" | "cancelled", result: JobResult, saved?: string): string | undefined;
  /** sees each epoch as it ends (checkpoints keep the history up to theirs) */
  epoch(metrics: JobResult["history"][number]): void;
}

function readResumed(path: string, report: (message: string) => void): TrainedModel | undefined {
  try {
    return readModelFile(path);
  } catch (failure) {
    if (!(failure instanceof ModelFileError)) throw failure;
    report(`--resume ${failure.message}`);
    return undefined;
  }
}

// The first difference between the saved graph and the file's, said as a person would.
function graphDifference(saved: TrainedModel, compiled: Extract<Compiled, { ok: true }>): string | undefined {
  const now = compiled.request.network;
  if (JSON.stringify(saved.network) === JSON.stringify(now)) return undefined;
  if (saved.network.input.units !== now.input.units) return `the model reads ${saved.network.input.units} inputs, the file's network ${now.input.units}`;
  const names = (layers: typeof now.layers): string => layers.map((l) => `${l.name} (${l.kind} ${l.units})`).join(", ");
  return `the model's layers are ${names(saved.network.layers)}; the file's are ${names(now.layers)}${saved.network.loss !== now.loss ? `; loss ${saved.network.loss} vs ${now.loss}` : ""}`;
}

function resumeProblem(model: TrainedModel, compiled: Extract<Compiled, { ok: true }>): string | undefined {
  const difference = graphDifference(model, compiled);
  if (difference) return `the model cannot continue network '${compiled.request.network.name}': ${difference}`;
  const optimizer = compiled.request.train.optimizer.name;
  if (model.optimizer && model.optimizer.optimizer !== optimizer) return `the model was trained with ${model.optimizer.optimizer}; the file now says ${optimizer}, whose state it does not have`;
  return undefined;
}

export function prepareSave(args: SaveArgs, io: Io): SavePlan | number {
  const report = reporter(args.json, io);
  const resumed = args.values.resume !== undefined ? readResumed(args.values.resume, report) : undefined;
  if (args.values.resume !== undefined && !resumed) return exit.usage;
  const fileArgs: FileArgs = { ...args.values, file: args.file };
  const compiled = compileFile(fileArgs, "train", io, { ...(args.epochs !== undefined ? { epochs: args.epochs } : {}), ...(args.seed !== undefined ? { seed: args.seed } : {}), ...(args.threads !== undefined ? { threads: args.threads } : {}) });
  if (typeof compiled === "number") return compiled;
  const { source } = compiled;
  const text = source.text;
  if (resumed) {
    const problem = resumeProblem(resumed, compiled);
    if (problem) return report(problem), exit.problems;
    if (resumed.source && resumed.source.sha256 !== sha256(text)) io.err(`nnet: warning: ${args.file} has changed since the model was saved; continuing with the model's weights\n`);
    const more = args.epochs ?? compiled.request.train.epochs - resumed.epochs;
    if (more <= 0) return report(`the model has already trained ${resumed.epochs} of the file's ${compiled.request.train.epochs} epochs; give --epochs N to train N more`), exit.usage;
    compiled.request.train = { ...compiled.request.train, epochs: more };
    const last = resumed.history.find((m) => m.epoch === resumed.epochs);
    compiled.request.resume = { weights: resumed.weights, ...(resumed.optimizer ? { optimizer: resumed.optimizer } : {}), epochs: resumed.epochs, ...(last ? { last } : {}) };
  }
  const save = args.values.save;
  if (save !== undefined) {
    const data = compiled.request.data.spec.kind === "csv" ? [compiled.request.data.spec.path] : [];
    try {
      checkModelTarget(save, { source: source.path, data });
    } catch (failure) {
      if (failure instanceof ModelTargetError) return report(`cannot save: ${failure.message}`), exit.usage;
      throw failure;
    }
    compiled.request.keepLastEpoch = true;
    if (args.checkpointEvery) compiled.request.checkpointEvery = args.checkpointEvery;
  }
  const first = resumed?.epochs ?? 0;
  const write = (result: JobResult, checkpoint?: CheckpointMessage): string | false => {
    try {
      const model = modelFromRun({
        request: compiled.request, result, source, target: save!,
        ...(checkpoint ? { weights: checkpoint.weights, optimizer: checkpoint.optimizer } : {}), ...(resumed ? { resumed } : {}),
      });
      writeModelFile(save!, model);
      return save!;
    } catch (failure) {
      report(`cannot save to ${save}: ${failure instanceof Error ? failure.message : String(failure)}`);
      return false;
    }
  };
  const history: JobResult["history"] = [];
  const host: HostOptions = save === undefined ? {} : {
    // saving a stopped run first rolls back to the last whole epoch: give it time to finish
    stopGraceMs: 120_000,
    onCheckpoint: (checkpoint) => {
      const partial: JobResult = { status: "cancelled", kind: "train", network: compiled.request.network.name, history: history.filter((m) => m.epoch <= checkpoint.epoch) };
      if (!write(partial, checkpoint)) return;
      if (args.json) io.out(JSON.stringify({ event: "checkpoint", epoch: checkpoint.epoch, saved: save }) + "\n");
      else io.err(`checkpoint: epoch ${checkpoint.epoch} saved to ${save}\n`);
    },
  };
  return {
    compiled, host, lastEpoch: first + compiled.request.train.epochs,
    finish(result) {
      if (save === undefined || !result.weights || result.history.length === 0) return undefined;
      return write(result);
    },
    closing(status, result, saved) {
      if (saved) return status === "completed" ? `saved the model to ${saved}` : `saved epoch ${result.epochs ?? first} to ${saved}; continue with: nnet train ${args.file} --resume ${saved}`;
      if (status === "cancelled") return save === undefined ? "nothing was kept (give --save MODEL.nnetmodel to keep the weights)" : "no epoch was completed; nothing was saved";
      return undefined;
    },
    epoch: (metrics) => void history.push(metrics),
  };
}
