/** `nnet train FILE`: trains a network in a worker thread, with progress, Ctrl-C and atomic --save. */
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { compileJob, saveRun, type Compiled, type JobKind, type JobResult } from "../training/index";
import { loadSource } from "./files";
import { errorEvent, finalMetrics, metricsText, progressPrinter, runWithInterrupt } from "./job-output";
import { exit, UsageError, type Command, type Io } from "./registry";

export const trainUsage = `Usage: nnet train FILE [--network NAME] [--epochs N] [--seed N] [--save PATH] [--json]

Trains a network of FILE (the first one unless --network names it) with the
settings of its train { } block, in a worker thread. Ctrl-C stops it cleanly.

Options:
  --network NAME              the network to train
  --epochs N                  override the number of epochs
  --seed N                    override the seed (data, weights, shuffling)
  --save PATH                 write weights, standardisation and history as JSON
                              to PATH when training completes (atomically)
  --json                      one JSON object per line: {"event":"epoch",…} per
                              epoch, then {"event":"done",…} or {"event":"error",…}
  --workspace DIR             data files must lie inside DIR (default: FILE's folder)
  --allow-outside-workspace   read data files anywhere
  -h, --help                  show this help

Without --json, a terminal gets a progress bar; a pipe gets a line every few epochs.

Exit codes: 0 trained, 1 the file has errors or training failed or was stopped,
2 bad usage, an unreadable file or an unknown network.`;

export const fileOptions = {
  network: { type: "string" },
  json: { type: "boolean" },
  workspace: { type: "string" },
  "allow-outside-workspace": { type: "boolean" },
} as const;

function integer(value: string | undefined, name: string, minimum: number): number | undefined {
  if (value === undefined) return undefined;
  // plain decimal only: Number() would read 0x10 as 16, 1e3 as 1000 and '' as 0
  const parsed = /^-?[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < minimum) throw new UsageError(`--${name} needs an integer ≥ ${minimum}, got '${value}'${/^-?[0-9]+$/.test(value) ? "" : " (decimal digits only)"}`);
  return parsed;
}

export interface FileArgs {
  file: string;
  network?: string;
  json?: boolean;
  workspace?: string;
  "allow-outside-workspace"?: boolean;
}

/** Reads and compiles FILE; on failure prints why and answers the exit code. */
export function compileFile(args: FileArgs, kind: JobKind, io: Io, extra: { epochs?: number; seed?: number; gradcheckAfter?: boolean } = {}): Extract<Compiled, { ok: true }> | number {
  const source = loadSource(args.file);
  const report = (message: string): void => (args.json ? io.out(JSON.stringify({ event: "error", message }) + "\n") : io.err(`nnet: ${message}\n`));
  if (!source.ok) return report(source.message), exit.usage;
  const compiled = compileJob({
    kind, text: source.text, path: source.path, displayName: args.file, ...extra,
    ...(args.network !== undefined ? { network: args.network } : {}),
    files: { ...(args.workspace ? { root: resolve(args.workspace) } : {}), ...(args["allow-outside-workspace"] ? { allowOutsideWorkspace: true } : {}) },
  });
  if (compiled.ok) {
    // stderr keeps --json's standard output pure JSON
    for (const warning of compiled.warnings) io.err(`${warning}\n`);
    return compiled;
  }
  if (args.json) io.out(JSON.stringify({ event: "error", message: compiled.problems.join("\n"), problems: compiled.problems }) + "\n");
  else for (const problem of compiled.problems) io.err(`${problem}\n`);
  return compiled.usage ? exit.usage : exit.problems;
}

function checkSavePath(path: string): void {
  const folder = dirname(resolve(path));
  let ok = false;
  try { ok = statSync(folder).isDirectory(); } catch { ok = false; }
  if (!ok) throw new UsageError(`--save ${path}: the folder ${folder} does not exist`);
  let existing: ReturnType<typeof statSync> | undefined;
  try { existing = statSync(path); } catch { existing = undefined; }
  if (existing?.isDirectory()) throw new UsageError(`--save ${path}: is a folder; give the path of the JSON file to write`);
  // the atomic rename would replace the device or pipe itself (as root, even /dev/null)
  if (existing && !existing.isFile()) throw new UsageError(`--save ${path}: is not a regular file (a device, pipe or socket); give the path of the JSON file to write`);
}

// `--epochs -1` would otherwise be refused by parseArgs as an ambiguous option, not as a bad number
function joinNegativeValues(args: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if ((args[i] === "--epochs" || args[i] === "--seed") && /^-[\d.]/.test(args[i + 1] ?? "")) joined.push(`${args[i]}=${args[++i]}`);
    else joined.push(args[i]);
  }
  return joined;
}

export async function runTrain(args: string[], io: Io, workerPath?: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinNegativeValues(args), allowPositionals: true, options: { ...fileOptions, epochs: { type: "string" }, seed: { type: "string" }, save: { type: "string" } },
  });
  if (positionals.length !== 1) throw new UsageError("nnet train needs exactly one FILE");
  const epochs = integer(values.epochs, "epochs", 1);
  const seed = integer(values.seed, "seed", 0);
  if (values.save !== undefined) checkSavePath(values.save);
  const compiled = compileFile({ ...values, file: positionals[0] }, "train", io, { ...(epochs !== undefined ? { epochs } : {}), ...(seed !== undefined ? { seed } : {}) });
  if (typeof compiled === "number") return compiled;
  const total = compiled.request.train.epochs;
  const json = values.json ?? false;
  const printer = progressPrinter(io, total, { json, tty: process.stdout.isTTY === true });
  const outcome = await runWithInterrupt(compiled.request, printer.epoch, workerPath);
  printer.end();
  if (outcome.status === "failed") {
    if (json) io.out(JSON.stringify(errorEvent(outcome.failure)) + "\n");
    else io.err(`nnet: training failed: ${outcome.failure.message}\n`);
    return exit.problems;
  }
  const saved = outcome.status === "completed" && values.save !== undefined ? save(values.save, outcome.result, json, io) : undefined;
  if (saved === false) return exit.problems;
  report(outcome.status, outcome.result, { json, total, ...(saved ? { saved } : {}) }, io);
  return outcome.status === "completed" ? exit.ok : exit.problems;
}

/** Saves atomically; answers the path, or false after printing why it could not. */
function save(path: string, result: JobResult, json: boolean, io: Io): string | false {
  try {
    saveRun(path, result);
    return path;
  } catch (failure) {
    const message = `cannot save to ${path}: ${failure instanceof Error ? failure.message : String(failure)}`;
    if (json) io.out(JSON.stringify({ event: "error", message }) + "\n");
    else io.err(`nnet: ${message}\n`);
    return false;
  }
}

function report(status: "completed" | "cancelled", result: JobResult, options: { json: boolean; total: number; saved?: string }, io: Io): void {
  if (options.json) {
    io.out(JSON.stringify({ event: "done", status, network: result.network, ...finalMetrics(result), data: result.data, ...(options.saved ? { saved: options.saved } : {}) }) + "\n");
    return;
  }
  const last = result.history[result.history.length - 1];
  io.out(`${status === "completed" ? "trained" : "stopped"} ${result.network}${last ? `: ${metricsText(last, options.total)}` : ""}\n`);
  if (options.saved) io.out(`saved weights to ${options.saved}\n`);
}

export const trainCommand: Command = { name: "train", summary: "train a network in a worker thread", usage: trainUsage, run: (args, io) => runTrain(args, io) };
