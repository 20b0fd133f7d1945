/**
 * The MODEL argument of predict, evaluate, export and summary: a saved
 * .nnetmodel file, or (where a command allows it) a .nnet file whose network
 * is taken with the engine's initial weights.
 */
import { resolve } from "node:path";
import { ModelFileError, modelExtension, type TrainedModel } from "../model/index";
import { initialModel, isModelFile, readModelFile } from "../training/index";
import { exit, type Io } from "./registry";
import { compileFile, reporter, type FileArgs } from "./train";

export interface LoadedModel {
  model: TrainedModel;
  /** the .nnetmodel file, or where a model from a .nnet file would be (its folder anchors data paths) */
  path: string;
  fromSource: boolean;
}

export const looksLikeModel = (file: string): boolean => file.endsWith(modelExtension) || isModelFile(file);

export function readModelArg(file: string, json: boolean | undefined, io: Io): LoadedModel | number {
  try {
    return { model: readModelFile(file), path: resolve(file), fromSource: false };
  } catch (failure) {
    if (!(failure instanceof ModelFileError)) throw failure;
    reporter(json, io)(failure.message);
    return exit.usage;
  }
}

/** A model file, or a .nnet file's network as initialised (when `allowSource`). */
export function loadModelArg(args: FileArgs, io: Io, allowSource: boolean): LoadedModel | number {
  if (looksLikeModel(args.file) || !allowSource) return readModelArg(args.file, args.json, io);
  const compiled = compileFile(args, "train", io);
  if (typeof compiled === "number") return compiled;
  const path = resolve(args.file.replace(/\.nnet$/, "") + modelExtension);
  try {
    const model = initialModel(compiled.request, compiled.source, path);
    return { model, path, fromSource: true };
  } catch (failure) {
    reporter(args.json, io)(`cannot read the data of '${compiled.request.network.name}': ${failure instanceof Error ? failure.message : String(failure)}`);
    return exit.problems;
  }
}
