/**
 * Every run and gradient check of the workspace's networks, kept across
 * sessions in one JSON file in the workspace's storage (the editor names the
 * folder), with the trained model of each training run beside it in
 * `models/<id>.nnetmodel` (the file Save Model writes). Bounded: past `limit`
 * runs the oldest unpinned one is dropped first, and past `modelLimit`
 * models the oldest unpinned run's model is dropped (the run stays listed);
 * a run's model goes with the run. A file that cannot be read is set aside
 * under another name and said, never silently lost or half used.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomUUID } from "node:crypto";
import type { TrainedModel } from "../model/index";
import type { JobRequest } from "./messages";
import { readModelFile, retargetModel, sha256, writeModelFile } from "./model-file";
import { writeFileAtomic } from "./save";
import {
  historyRunPoints, validateHistoryRun, type DoneParams, type EditRunParams, type EpochMetrics, type HistoryRun,
} from "../protocol/index";

/** Runs kept per workspace when none is said. */
export const defaultRunLimit = 100;
/** Trained models kept per workspace when none is said (each as large as a saved model of its network). */
export const defaultModelLimit = 20;

/** A run's model as it would be written to a target path. */
export type ModelBuilder = (target: string) => TrainedModel;

export interface RunHistoryOptions {
  /** the JSON file; without one, runs are kept for this session only */
  file?: string;
  limit?: number;
  /** how many runs keep their trained model */
  modelLimit?: number;
  /** a problem with the file, for the server's log */
  warn?(message: string): void;
}

export class RunHistory {
  private runs: HistoryRun[] = [];
  private readonly limit: number;
  private readonly modelLimit: number;
  /** without a file, the models stay in memory for the session */
  private readonly builders = new Map<string, ModelBuilder>();

  constructor(private readonly options: RunHistoryOptions = {}) {
    this.limit = options.limit ?? defaultRunLimit;
    this.modelLimit = options.modelLimit ?? defaultModelLimit;
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

  /** Keeps a run that ended, and its trained model when it has one. */
  add(run: Omit<HistoryRun, "id">, model?: ModelBuilder): HistoryRun {
    const kept: HistoryRun = { id: randomUUID(), ...run, history: thinned(run.history) };
    if (model && this.keepModel(kept.id, model)) kept.model = "kept";
    this.runs.push(kept);
    while (this.runs.length > this.limit) {
      const oldest = this.oldestUnpinned(this.runs);
      if (!oldest) break;
      this.runs = this.runs.filter((each) => each !== oldest);
      this.dropModel(oldest);
    }
    while (this.runs.filter((each) => each.model === "kept").length > this.modelLimit) {
      const oldest = this.oldestUnpinned(this.runs.filter((each) => each.model === "kept"));
      if (!oldest) break;
      this.dropModel(oldest);
      oldest.model = "dropped";
    }
    this.save();
    return kept;
  }

  /** The run's kept model as it would be written to `target`, or undefined when it has none. */
  model(id: string, target: string): TrainedModel | undefined {
    const run = this.runs.find((each) => each.id === id);
    if (run?.model !== "kept") return undefined;
    const builder = this.builders.get(id);
    if (builder) return builder(target);
    const stored = this.modelFile(id);
    return stored ? retargetModel(readModelFile(stored), stored, target) : undefined;
  }

  /** Renames, pins or deletes a run; false when there is no such run. */
  edit(change: EditRunParams): boolean {
    const run = this.runs.find((each) => each.id === change.id);
    if (!run) return false;
    if (change.remove) {
      this.runs = this.runs.filter((each) => each !== run);
      this.dropModel(run);
    }
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
      // its models go aside with it, out of the way of the new history's
      const also = this.setModelsAside();
      this.options.warn?.(`the run history ${file} could not be read (${error instanceof Error ? error.message : String(error)}); it was moved to ${aside}${also} and a new history started`);
      return;
    }
    // a problem with the models folder is said, and never costs the runs
    try {
      this.checkModels();
    } catch (error) {
      this.options.warn?.(`the runs' models beside ${file} could not be checked: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Moves the models folder aside with an unreadable history; answers what to add to the message. */
  private setModelsAside(): string {
    const models = this.modelsFolder()!;
    if (!existsSync(models)) return "";
    const aside = `${models}.unreadable`;
    try {
      rmSync(aside, { recursive: true, force: true });
      renameSync(models, aside);
      return ` (its models to ${aside})`;
    } catch (error) {
      return ` (its models could not be moved aside from ${models}: ${error instanceof Error ? error.message : String(error)})`;
    }
  }

  private oldestUnpinned(runs: HistoryRun[]): HistoryRun | undefined {
    return runs.filter((each) => !each.pinned).sort((a, b) => a.startedAt - b.startedAt)[0];
  }

  /** Where the runs' models live beside a history file; undefined for a session-only history. */
  private modelsFolder(): string | undefined {
    return this.options.file ? join(dirname(this.options.file), "models") : undefined;
  }

  private modelFile(id: string): string | undefined {
    const folder = this.modelsFolder();
    return folder ? join(folder, `${id}.nnetmodel`) : undefined;
  }

  // written before the history names it, so a crash leaves at most a file that no run names (removed on the next load)
  private keepModel(id: string, build: ModelBuilder): boolean {
    const file = this.modelFile(id);
    if (!file) {
      this.builders.set(id, build);
      return true;
    }
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeModelFile(file, build(file));
      return true;
    } catch (error) {
      this.options.warn?.(`the run's model could not be kept at ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  private dropModel(run: HistoryRun): void {
    this.builders.delete(run.id);
    const file = run.model === "kept" ? this.modelFile(run.id) : undefined;
    if (!file) return;
    try { unlinkSync(file); } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") this.options.warn?.(`the model ${file} of a dropped run could not be removed: ${(error as Error).message}`);
    }
  }

  /** A kept model whose file is gone is said and marked dropped; a model file no run names is removed. */
  private checkModels(): void {
    for (const run of this.runs) {
      const file = run.model === "kept" ? this.modelFile(run.id) : undefined;
      if (file && !existsSync(file)) {
        this.options.warn?.(`the model of run ${run.id} is missing from ${file}; that run can no longer be saved as a model`);
        run.model = "dropped";
      }
    }
    const folder = this.modelsFolder();
    if (!folder || !existsSync(folder)) return;
    const named = new Set(this.runs.filter((run) => run.model === "kept").map((run) => `${run.id}.nnetmodel`));
    for (const entry of readdirSync(folder)) {
      if (entry.endsWith(".nnetmodel") && !named.has(entry)) {
        try { unlinkSync(join(folder, entry)); } catch { /* left for the next load */ }
      }
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
