/**
 * What runs left, owned in one place: each document's last run of each
 * network (what hovers, inlay hints and run diagnostics read, what the panel
 * replays) and, for a training run that ended with weights, what saving it as
 * a model needs, so the editor can save or export it without retraining.
 * The runner only runs jobs; the server records their events here.
 */
import type { DocumentRuns, RunRecord } from "../language/ide/index";
import type { TrainedModel } from "../model/index";
import type { DecisionGrid, DoneParams, GradcheckReport, EpochMetrics, JobStarted, ProgressParams } from "../protocol/index";
import type { JobRequest, JobResult } from "./messages";
import { storedModelMissing } from "../protocol/index";
import { checkModelTarget, modelFromRun, modelPaths, writeModelFile, type RunSource } from "./model-file";
import { historyRun, RunHistory } from "./run-history";

/** A training run that ended (completed or stopped) with weights: what its model is built from. */
export interface SaveableRun {
  request: JobRequest;
  source: RunSource;
  result: JobResult;
}

/** A document's last run of one network. */
export interface StoredRun extends RunRecord {
  jobId: string;
  /** the order runs started in, across documents */
  order: number;
  /** milliseconds since 1970 */
  startedAt: number;
  summary?: JobStarted["summary"];
  message?: string;
  history: EpochMetrics[];
  gradcheck?: GradcheckReport;
  grid?: DecisionGrid;
  saveable?: SaveableRun;
}

/** There is no training run with weights to save: the editor offers to train. */
export class NoRunError extends Error {
  constructor(readonly network: string | undefined, why: string) {
    super(why);
    this.name = "NoRunError";
  }
}

type JobStart = Pick<ProgressParams, "jobId" | "uri" | "network" | "kind" | "epochs">;

/** What the server knows of a job when it ends: the text's version and text, and the runner's record of the job. */
export interface JobRecord {
  version: number;
  text?: string;
  request?: JobRequest;
  saveable?: SaveableRun;
}

export class RunStore {
  private readonly byDocument = new Map<string, Map<string, StoredRun>>();
  private nextOrder = 1;

  /** every run that ended, kept across sessions once the server is given the workspace's storage */
  constructor(public history: RunHistory = new RunHistory()) {}

  /** The last run of each network of a document, as the IDE layer reads it. */
  runs(uri: string): DocumentRuns | undefined {
    return this.byDocument.get(uri);
  }

  /** The document's last run of `network`, or, when none is named, the latest that trained (or checked a trained network). */
  lastRun(uri: string, network?: string): StoredRun | undefined {
    const runs = [...(this.byDocument.get(uri)?.values() ?? [])];
    if (network !== undefined) return runs.find((run) => run.network === network);
    return runs.filter((run) => run.kind === "train" || run.saveable).sort((a, b) => b.order - a.order)[0];
  }

  /** A job started on the document's text at `version`. */
  started(job: JobStart, version: number, summary?: JobStarted["summary"]): StoredRun {
    const previous = this.byDocument.get(job.uri)?.get(job.network);
    if (previous?.jobId === job.jobId) {
      if (summary) previous.summary = summary;
      return previous;
    }
    // a gradient check starts from fresh weights: the run it follows stays saveable, and its figures stay shown
    const kept = job.kind === "gradcheck" ? previous : undefined;
    const run: StoredRun = {
      jobId: job.jobId, order: this.nextOrder++, startedAt: Date.now(), network: job.network, kind: job.kind, status: "running",
      version: kept?.version ?? version, epochs: kept?.epochs ?? job.epochs, layers: kept?.layers ?? [], losses: kept?.losses ?? [],
      history: kept?.history ?? [],
      ...(kept?.epoch !== undefined ? { epoch: kept.epoch } : {}), ...(kept?.loss !== undefined ? { loss: kept.loss } : {}),
      ...(kept?.grid ? { grid: kept.grid } : {}), ...(summary ? { summary } : {}), ...(kept?.saveable ? { saveable: kept.saveable } : {}),
    };
    let runs = this.byDocument.get(job.uri);
    if (!runs) this.byDocument.set(job.uri, (runs = new Map()));
    runs.set(job.network, run);
    return run;
  }

  progress(params: ProgressParams, version: number): void {
    const run = this.started(params, version);
    const { metrics } = params;
    // appended in place: copying a long history per epoch would be quadratic
    run.history.push(metrics);
    run.losses.push(metrics.loss);
    run.epoch = metrics.epoch;
    run.loss = metrics.loss;
    run.layers = metrics.layers;
    if (params.grid) run.grid = params.grid;
  }

  done(params: DoneParams, job: JobRecord): void {
    const { version, saveable } = job;
    const run = this.started({ ...params, epochs: 0 }, version);
    run.status = params.status;
    if (params.message !== undefined) run.message = params.message;
    if (params.history && params.history.length > 0) {
      run.history = params.history;
      run.losses = params.history.map((metrics) => metrics.loss);
    }
    const last = run.history[run.history.length - 1];
    if (last) Object.assign(run, { epoch: last.epoch, loss: last.loss, layers: last.layers });
    if (params.gradcheck) run.gradcheck = params.gradcheck;
    if (params.grid) run.grid = params.grid;
    if (saveable) run.saveable = saveable;
    // a gradient check's history entry has no epochs of its own; a training run's keeps its model
    if (job.request && job.text !== undefined) {
      this.history.add(
        historyRun(params, job.request, job.text, run.startedAt, params.kind === "train" ? run.history : []),
        saveable ? (target) => modelFromRun({ ...saveable, target }) : undefined,
      );
    }
  }

  forget(uri: string): void {
    this.byDocument.delete(uri);
  }

  /**
   * The model of the document's last training run of `network`, as it would
   * be written to `target` (CSV paths are kept relative to it). Throws
   * NoRunError when there is no run with weights.
   */
  modelOf(uri: string, network: string | undefined, target: string): TrainedModel {
    const run = this.lastRun(uri, network);
    if (!run) return this.storedModel(uri, network, target);
    if (run.kind === "gradcheck" && run.saveable) return modelFromRun({ ...run.saveable, target });
    if (run.status === "running") throw new NoRunError(run.network, `'${run.network}' is still training; save it when the run ends (or stop it)`);
    if (!run.saveable) {
      const why = run.kind !== "train" ? "it has only had a gradient check" : run.status === "failed" ? "its last run failed" : "its last run ended before a whole epoch";
      throw new NoRunError(run.network, `'${run.network}' has no trained weights to save: ${why}; train it first`);
    }
    return modelFromRun({ ...run.saveable, target });
  }

  /**
   * Writes the model of the document's last training run of `network` to
   * `target`, refusing a target that is the source, the training data or any
   * existing file that is not a model (ModelTargetError).
   */
  saveRun(uri: string, network: string | undefined, target: string): { path: string; network: string; epochs: number } {
    const model = this.modelOf(uri, network, target);
    checkModelTarget(target, modelPaths(model, target));
    writeModelFile(target, model);
    return { path: target, network: model.network.name, epochs: model.epochs };
  }

  /** Nothing ran this session (the editor was reopened): the newest stored training run's kept model. */
  private storedModel(uri: string, network: string | undefined, target: string): TrainedModel {
    const what = network ? `'${network}'` : "this document";
    const stored = this.history.list(uri, network).find((each) => each.kind === "train");
    if (!stored) throw new NoRunError(network, `${what} has not been trained in this session; train it first`);
    const model = this.history.model(stored.id, target);
    if (!model) throw new NoRunError(stored.network, `'${stored.network}' has no trained weights to save: ${storedModelMissing(stored) ?? "its model is gone"}; train it again`);
    return model;
  }
}

