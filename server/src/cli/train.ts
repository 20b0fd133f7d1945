/** `nnet train FILE`: trains a network in a worker thread, with progress, Ctrl-C, model files, checkpoints and resuming. */
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { maxCount } from "../language/index";
import { compileJob, type Compiled, type JobKind, type JobResult } from "../training/index";
import { loadSource } from "./files";
import { dataProgress } from "./data-progress";
import { errorEvent, finalEpoch, finalMetrics, metricsText, progressPrinter, runWithInterrupt } from "./job-output";
import { exit, UsageError, type Command, type Io } from "./registry";
import { prepareSave, type SavePlan } from "./train-save";
import { metricsLines, partText } from "./metrics-text";

export const trainUsage = `Usage: nnet train FILE [--network NAME] [--epochs N] [--seed N] [--save MODEL.nnetmodel]
                  [--checkpoint-every N] [--resume MODEL.nnetmodel] [--threads N] [--json]

Trains a network of FILE (the first one unless --network names it) with the
settings of its train { } block, in a worker thread. Ctrl-C stops it cleanly;
with --save, the last completed epoch is saved first.

Options:
  --network NAME              the network to train
  --epochs N                  override the number of epochs (with --resume: N more)
  --seed N                    override the seed (data, weights, shuffling)
  --save MODEL.nnetmodel      write the trained model (graph, names, weights,
                              optimizer state, history) when training ends;
                              an existing file is replaced only if it is a model
  --checkpoint-every N        also save the model every N epochs (needs --save)
  --resume MODEL.nnetmodel    continue from a saved model's weights and optimizer
                              state; without --epochs, up to the file's epochs
  --threads N                 threads for the large matrix products (default: the
                              cores, up to 8); the weights are the same bits for any N
  --json                      one JSON object per line: {"event":"epoch",…} per
                              epoch, then {"event":"done",…} or {"event":"error",…}
  --workspace DIR             data files must lie inside DIR (default: FILE's folder)
  --allow-outside-workspace   read data files anywhere
  -h, --help                  show this help

Without --json, a terminal gets a progress bar; a pipe gets a line every few epochs.
The model file format is described in docs/model-format.md.

Exit codes: 0 trained, 1 the file has errors or training failed or was stopped,
2 bad usage, an unreadable file or an unknown network.`;

export const fileOptions = {
  network: { type: "string" },
  json: { type: "boolean" },
  workspace: { type: "string" },
  "allow-outside-workspace": { type: "boolean" },
} as const;

// The same ranges as the file's settings (docs/diagnostics.md#ranges): an override is never taken past them.
/** more threads than this only wait for one another */
const maxThreads = 256;

export function integer(value: string | undefined, name: string, minimum: number, maximum: number): number | undefined {
  if (value === undefined) return undefined;
  // plain decimal only: Number() would read 0x10 as 16, 1e3 as 1000 and '' as 0
  const decimal = /^-?[0-9]+$/.test(value);
  const parsed = decimal ? Number(value) : NaN;
  if (!(parsed >= minimum)) throw new UsageError(`--${name} needs an integer ≥ ${minimum}, got '${value}'${decimal ? "" : " (decimal digits only)"}`);
  if (parsed > maximum || !Number.isSafeInteger(parsed)) throw new UsageError(`--${name} needs an integer from ${minimum} to ${maximum.toLocaleString("en-US")}, got '${value}'`);
  return parsed;
}

export interface FileArgs {
  file: string;
  network?: string;
  json?: boolean;
  workspace?: string;
  "allow-outside-workspace"?: boolean;
}

export type Report = (message: string) => void;

export function reporter(json: boolean | undefined, io: Io): Report {
  return (message) => (json ? io.out(JSON.stringify({ event: "error", message }) + "\n") : io.err(`nnet: ${message}\n`));
}

export type CompiledFile = Extract<Compiled, { ok: true }> & { source: { path: string; text: string } };

/** Reads and compiles FILE; on failure prints why and answers the exit code. */
export function compileFile(args: FileArgs, kind: JobKind, io: Io, extra: { epochs?: number; seed?: number; threads?: number; gradcheckAfter?: boolean } = {}): CompiledFile | number {
  const source = loadSource(args.file);
  if (!source.ok) return reporter(args.json, io)(source.message), exit.usage;
  const compiled = compileJob({
    kind, text: source.text, path: source.path, displayName: args.file, ...extra,
    ...(args.network !== undefined ? { network: args.network } : {}),
    files: { ...(args.workspace ? { root: resolve(args.workspace) } : {}), ...(args["allow-outside-workspace"] ? { allowOutsideWorkspace: true } : {}) },
  });
  if (compiled.ok) {
    // stderr keeps --json's standard output pure JSON
    for (const warning of compiled.warnings) io.err(`${warning}\n`);
    return { ...compiled, source: { path: source.path, text: source.text } };
  }
  if (args.json) io.out(JSON.stringify({ event: "error", message: compiled.problems.join("\n"), problems: compiled.problems }) + "\n");
  else for (const problem of compiled.problems) io.err(`${problem}\n`);
  return compiled.usage ? exit.usage : exit.problems;
}

// `--epochs -1` would otherwise be refused by parseArgs as an ambiguous option, not as a bad number
function joinNegativeValues(args: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (["--epochs", "--seed", "--checkpoint-every", "--threads"].includes(args[i]) && /^-[\d.]/.test(args[i + 1] ?? "")) joined.push(`${args[i]}=${args[++i]}`);
    else joined.push(args[i]);
  }
  return joined;
}

// more threads than cores still train, with the same bits, but slower: said here rather than left to be found
function warnOversubscribed(threads: number | undefined, io: Io): void {
  const cores = availableParallelism();
  if (threads === undefined || threads <= cores) return;
  io.err(`nnet: warning: --threads ${threads} is more than the ${cores} core${cores === 1 ? "" : "s"} this process may use; the extra threads wait for a core, so training is slower than with --threads ${cores}\n`);
}

export async function runTrain(args: string[], io: Io, workerPath?: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinNegativeValues(args), allowPositionals: true,
    options: { ...fileOptions, epochs: { type: "string" }, seed: { type: "string" }, save: { type: "string" }, resume: { type: "string" }, "checkpoint-every": { type: "string" }, threads: { type: "string" } },
  });
  if (positionals.length !== 1) throw new UsageError("nnet train needs exactly one FILE");
  const epochs = integer(values.epochs, "epochs", 1, maxCount);
  const seed = integer(values.seed, "seed", 0, Number.MAX_SAFE_INTEGER);
  const checkpointEvery = integer(values["checkpoint-every"], "checkpoint-every", 1, maxCount);
  const threads = integer(values.threads, "threads", 1, maxThreads);
  warnOversubscribed(threads, io);
  if (checkpointEvery !== undefined && values.save === undefined) throw new UsageError("--checkpoint-every needs --save MODEL.nnetmodel to say where");
  const json = values.json ?? false;
  const plan = prepareSave({ file: positionals[0], values, epochs, seed, checkpointEvery, threads, json }, io);
  if (typeof plan === "number") return plan;
  const { compiled } = plan;
  const total = plan.lastEpoch;
  const printer = progressPrinter(io, total, { json, tty: process.stdout.isTTY === true });
  const onDataProgress = dataProgress(io, process.stderr.isTTY === true, compiled.request.data.csv?.shown ?? "the data");
  const outcome = await runWithInterrupt(compiled.request, (m) => (plan.epoch(m), printer.epoch(m)), workerPath, { ...plan.host, onDataProgress });
  printer.end();
  if (outcome.status === "failed") {
    if (json) io.out(JSON.stringify(errorEvent(outcome.failure)) + "\n");
    else io.err(`nnet: training failed: ${outcome.failure.message}\n`);
    return exit.problems;
  }
  const saved = plan.finish(outcome.result);
  if (saved === false) return exit.problems;
  report(outcome.status, outcome.result, { json, total, plan, ...(saved ? { saved } : {}) }, io);
  return outcome.status === "completed" ? exit.ok : exit.problems;
}

function report(status: "completed" | "cancelled", result: JobResult, options: { json: boolean; total: number; plan: SavePlan; saved?: string }, io: Io): void {
  const resumed = options.plan.compiled.request.resume?.last;
  if (options.json) {
    io.out(JSON.stringify({ event: "done", status, network: result.network, ...finalMetrics(result, resumed), data: result.data, ...(result.metrics ? { metrics: result.metrics } : {}), ...(options.saved ? { saved: options.saved } : {}) }) + "\n");
    return;
  }
  const last = finalEpoch(result, resumed);
  if (result.stopped) io.out(`stopped early at epoch ${result.stopped.epoch}/${options.total}: ${result.stopped.reason}\n`);
  io.out(`${status === "completed" ? "trained" : "stopped"} ${result.network}${last ? `: ${metricsText(last, options.total)}` : ""}\n`);
  if (result.metrics) io.out(["", `metrics ${partText(result.metrics.part)}:`, ...metricsLines(result.metrics, result.metrics.names)].join("\n") + "\n");
  const closing = options.plan.closing(status, result, options.saved);
  if (closing) io.out(closing + "\n");
}

export const trainCommand: Command = { name: "train", summary: "train a network in a worker thread", usage: trainUsage, run: (args, io) => runTrain(args, io) };
