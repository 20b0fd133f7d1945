/**
 * From launch arguments to the run the debugger steps through: the .nnet file
 * compiled with the training layer (so the data, split, standardisation,
 * initial weights and batches are those of `nnet train`), the stepper's
 * configuration, and the source line of every execution point.
 */
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { exampleCount, prepareData, type Dataset, type GradcheckSpec, type Network, type PlanPoint, type StepperConfig } from "../engine/index";
import { LineIndex, type NetworkModel } from "../language/index";
import { compileJob, loadDataset, loadDatasetAsync, shouldStandardise, type FillOptions } from "../training/index";

export interface LaunchArgs {
  program?: string;
  network?: string;
  /** "first": the file's own mini-batches; "full": the whole training set as one batch; a number k: stop first in batch k (0-based) */
  batch?: "first" | "full" | number;
  /** training steps to run before the first stop */
  startAt?: number;
  stopOnEntry?: boolean;
  seed?: number;
  /** the folder data files must lie in (default: the program's) */
  workspace?: string;
  /** let csv(…) read files outside that folder (the editor's nnet.data.allowOutsideWorkspace) */
  allowOutsideWorkspace?: boolean;
}

export interface Program {
  path: string;
  name: string;
  config: StepperConfig;
  /** the training step of the first stop */
  startStep: number;
  stopOnEntry: boolean;
  lines: SourceLines;
  warnings: string[];
  /** the file's gradcheck settings, for the gradient-check exception filter */
  gradcheck: GradcheckSpec;
}

/** 0-based lines of what the points run. */
export interface SourceLines {
  input: number;
  loss: number;
  optimizer: number;
  train: number;
  network: number;
  /** per layer name */
  layers: Map<string, number>;
}

export type Loaded = { ok: true; program: Program } | { ok: false; message: string };

function sourceLines(text: string, model: NetworkModel): SourceLines {
  const index = new LineIndex(text);
  const line = (offset: number): number => index.position(offset).line;
  const network = line(model.ast.span.start);
  const train = model.trainBlocks[0];
  const optimizer = train?.settings.find((s) => s.key?.text === "optimizer");
  const layers = new Map(model.layers.map((l) => [l.name, line(l.entry.span.start)]));
  const output = model.output ? layers.get(model.output.name) ?? network : network;
  return {
    input: model.input ? line(model.input.entry.span.start) : network,
    loss: model.losses[0] ? line(model.losses[0].span.start) : output,
    optimizer: optimizer ? line(optimizer.span.start) : train ? line(train.span.start) : network,
    train: train ? line(train.span.start) : network,
    network,
    layers,
  };
}

/** The line a point runs on: the input, a layer, the loss or the optimizer. */
export function lineOf(program: Program, network: Network, point: PlanPoint): number {
  const { lines } = program;
  if (point.kind === "input") return lines.input;
  if (point.kind === "loss") return lines.loss;
  if (point.kind === "update") return lines.optimizer;
  return lines.layers.get(network.nodes[point.node].name) ?? lines.network;
}

const wholeNumber = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

function checkArgs(args: LaunchArgs): string | undefined {
  if (typeof args.program !== "string" || args.program === "") return "the launch configuration needs 'program', the .nnet file to debug";
  if (args.startAt !== undefined && !wholeNumber(args.startAt)) return `'startAt' must be a whole number of training steps, got ${JSON.stringify(args.startAt)}`;
  if (args.seed !== undefined && !wholeNumber(args.seed)) return `'seed' must be a whole number, got ${JSON.stringify(args.seed)}`;
  const batch = args.batch;
  if (batch !== undefined && batch !== "first" && batch !== "full" && !wholeNumber(batch)) {
    return `'batch' must be "first", "full" or a batch index, got ${JSON.stringify(batch)}`;
  }
  return undefined;
}

// The file compiled, before its data is read.
type Compiled = { ok: true; path: string; text: string; compiled: Extract<ReturnType<typeof compileJob>, { ok: true }> } | { ok: false; message: string };

function compileProgram(args: LaunchArgs): Compiled {
  const bad = checkArgs(args);
  if (bad) return { ok: false, message: bad };
  const path = resolve(args.program as string);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (failure) {
    const code = (failure as NodeJS.ErrnoException).code;
    return { ok: false, message: `${args.program}: cannot read: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : String(failure)}` };
  }
  const compiled = compileJob({
    kind: "train", text, path, displayName: basename(path),
    ...(args.network !== undefined ? { network: args.network } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    files: { ...(args.workspace ? { root: resolve(args.workspace) } : {}), ...(args.allowOutsideWorkspace === true ? { allowOutsideWorkspace: true } : {}) },
  });
  // the first problem carries the file and line; the rest follow from it often enough
  if (!compiled.ok) return { ok: false, message: compiled.problems[0] };
  return { ok: true, path, text, compiled };
}

const problemOf = (failure: unknown): Loaded => ({ ok: false, message: failure instanceof Error ? failure.message : String(failure) });

function programOf(args: LaunchArgs, { path, text, compiled }: Extract<Compiled, { ok: true }>, dataset: Dataset): Loaded {
  const { request, model } = compiled;
  try {
    if (exampleCount(dataset) === 0) return { ok: false, message: "the data source gives no rows; training needs at least one" };
    const data = prepareData(dataset, {
      validation: request.train.validation, seed: request.train.seed, standardise: shouldStandardise(request.data), inPlace: request.data.spec.kind === "csv",
    });
    const train = args.batch === "full" ? { ...request.train, batch: "full" as const } : request.train;
    const config: StepperConfig = { spec: request.network, train, data: data.train };
    const n = exampleCount(data.train);
    const batchSize = train.batch === "full" ? n : Math.min(n, Math.floor(train.batch));
    const perEpoch = Math.ceil(n / batchSize);
    const total = train.epochs * perEpoch;
    const startStep = (args.startAt ?? 0) + (typeof args.batch === "number" ? args.batch : 0);
    if (typeof args.batch === "number" && args.batch >= perEpoch) {
      return { ok: false, message: `'batch' ${args.batch} is past the last batch of an epoch (an epoch has ${perEpoch}, numbered from 0)` };
    }
    if (startStep >= total) {
      return { ok: false, message: `the run has ${total} training steps (${train.epochs} epochs of ${perEpoch}); 'startAt' must stay below that` };
    }
    return {
      ok: true,
      program: {
        path, name: request.network.name, config, startStep, stopOnEntry: args.stopOnEntry ?? true,
        lines: sourceLines(text, model), warnings: compiled.warnings, gradcheck: request.gradcheck,
      },
    };
  } catch (failure) {
    return problemOf(failure);
  }
}

export function loadProgram(args: LaunchArgs): Loaded {
  const compiled = compileProgram(args);
  if (!compiled.ok) return compiled;
  let dataset: Dataset;
  try {
    dataset = loadDataset(compiled.compiled.request.data, compiled.compiled.request.train.seed);
  } catch (failure) {
    return problemOf(failure);
  }
  return programOf(args, compiled, dataset);
}

/**
 * The same, reading a CSV a chunk at a time between turns of the event loop, so that the adapter
 * hears a disconnect while a large file loads; `shouldStop` ends the read, `onProgress` follows it.
 */
export async function loadProgramAsync(args: LaunchArgs, options: FillOptions = {}): Promise<Loaded> {
  const compiled = compileProgram(args);
  if (!compiled.ok) return compiled;
  let dataset: Dataset;
  try {
    dataset = await loadDatasetAsync(compiled.compiled.request.data, compiled.compiled.request.train.seed, options);
  } catch (failure) {
    return problemOf(failure);
  }
  return programOf(args, compiled, dataset);
}
