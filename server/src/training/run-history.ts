/**
 * Every run and gradient check of the workspace's networks, kept across
 * sessions in one JSON file in the workspace's storage (the editor names the
 * folder). Bounded: past `limit` runs the oldest unpinned one is dropped
 * first. A file that cannot be read is set aside under another name and
 * said, never silently lost or half used.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname } from "node:path";
import { randomUUID } from "node:crypto";
import type { JobRequest } from "./messages";
import { sha256 } from "./model-file";
import { writeFileAtomic } from "./save";
import {
  historyRunPoints, validateHistoryRun, type DoneParams, type EditRunParams, type EpochMetrics, type HistoryRun,
} from "../protocol/index";

/** Runs kept per workspace when none is said. */
export const defaultRunLimit = 100;

export interface RunHistoryOptions {
  /** the JSON file; without one, runs are kept for this session only */
  file?: string;
  limit?: number;
  /** a problem with the file, for the server's log */
  warn?(message: string): void;
}

export class RunHistory {
  private runs: HistoryRun[] = [];
  private readonly limit: number;

  constructor(private readonly options: RunHistoryOptions = {}) {
    this.limit = options.limit ?? defaultRunLimit;
    if (options.file) this.load(options.file);
  }

  /** The runs of a document (of one network when named), newest first; `text` says whether each still matches it. */
  list(uri: string, network?: string, text?: string): HistoryRun[] {
    const hash = text !== undefined ? sha256(text) : undefined;
    return this.runs
      .filter((run) => run.uri === uri && (network === undefined || run.network === network))
      .sort((a, b) => b.startedAt - a.startedAt)
      .map((run) => (hash !== undefined ? { ...run, matchesText: run.textHash === hash } : run));
  }

  /** Keeps a run that ended. */
  add(run: Omit<HistoryRun, "id">): HistoryRun {
    const kept: HistoryRun = { id: randomUUID(), ...run, history: thinned(run.history) };
    this.runs.push(kept);
    while (this.runs.length > this.limit) {
      const oldest = this.runs.filter((each) => !each.pinned).sort((a, b) => a.startedAt - b.startedAt)[0];
      if (!oldest) break;
      this.runs = this.runs.filter((each) => each !== oldest);
    }
    this.save();
    return kept;
  }

  /** Renames, pins or deletes a run; false when there is no such run. */
  edit(change: EditRunParams): boolean {
    const run = this.runs.find((each) => each.id === change.id);
    if (!run) return false;
    if (change.remove) this.runs = this.runs.filter((each) => each !== run);
    if (change.name !== undefined) {
      const name = change.name.trim();
      if (name) run.name = name;
      else delete run.name;
    }
    if (change.pinned !== undefined) run.pinned = change.pinned;
    this.save();
    return true;
  }

  private load(file: string): void {
    if (!existsSync(file)) return;
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as { runs?: unknown };
      if (!Array.isArray(parsed.runs)) throw new Error("it has no list of runs");
      const runs = parsed.runs.map((run) => validateHistoryRun(run));
      const bad = runs.filter((run) => run === undefined).length;
      if (bad > 0) throw new Error(`${bad} of its ${runs.length} runs are malformed`);
      this.runs = runs as HistoryRun[];
    } catch (error) {
      const aside = `${file}.unreadable`;
      renameSync(file, aside);
      this.options.warn?.(`the run history ${file} could not be read (${error instanceof Error ? error.message : String(error)}); it was moved to ${aside} and a new history started`);
    }
  }

  private save(): void {
    const file = this.options.file;
    if (!file) return;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, JSON.stringify({ version: 1, runs: this.runs }));
    } catch (error) {
      this.options.warn?.(`the run history could not be written to ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** At most `historyRunPoints` epochs, evenly spread, the first and last always kept. */
function thinned(history: EpochMetrics[]): EpochMetrics[] {
  if (history.length <= historyRunPoints) return history;
  const step = (history.length - 1) / (historyRunPoints - 1);
  return Array.from({ length: historyRunPoints }, (_, i) => history[Math.round(i * step)]!);
}

const number = (value: number): string => String(Number(value.toPrecision(6)));

/** What a job was given, by name, for the history's "what differed". */
export function runSettings(request: JobRequest): Record<string, string> {
  const { train, network } = request;
  const settings: Record<string, string> = { optimizer: train.optimizer.name, lr: number(train.optimizer.lr) };
  if (train.optimizer.name === "sgd" && train.optimizer.momentum > 0) settings.momentum = number(train.optimizer.momentum);
  Object.assign(settings, { batch: String(train.batch), epochs: String(train.epochs), seed: String(train.seed) });
  if (train.l2 > 0) settings.l2 = number(train.l2);
  if (train.validation > 0) settings.validation = number(train.validation);
  for (const layer of network.layers) {
    settings[`${layer.name} units`] = String(layer.units);
    if (layer.kind === "dense") settings[`${layer.name} activation`] = layer.activation.name;
  }
  settings.loss = network.loss;
  if (request.kind === "gradcheck") Object.assign(settings, { epsilon: number(request.gradcheck.epsilon), tolerance: number(request.gradcheck.tolerance) });
  return settings;
}

/** The history's record of a job that ended. */
export function historyRun(
  done: DoneParams, request: JobRequest, text: string, startedAt: number, history: EpochMetrics[],
): Omit<HistoryRun, "id"> {
  const last = history[history.length - 1];
  const report = done.gradcheck;
  return {
    uri: done.uri, network: done.network, kind: done.kind, status: done.status, startedAt,
    settings: runSettings(request), textHash: sha256(text), history,
    ...(last ? { final: finalOf(last) } : {}),
    ...(report ? { gradcheck: { passed: report.passed, maxRelError: Math.max(0, ...report.rows.map((row) => row.maxRelError)) } } : {}),
  };
}

function finalOf(metrics: EpochMetrics): NonNullable<HistoryRun["final"]> {
  const { epoch, loss, accuracy, valLoss, valAccuracy } = metrics;
  return { epoch, loss, ...(accuracy !== undefined ? { accuracy } : {}), ...(valLoss !== undefined ? { valLoss } : {}), ...(valAccuracy !== undefined ? { valAccuracy } : {}) };
}
