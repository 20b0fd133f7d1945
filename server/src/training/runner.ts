/**
 * The language server's job runner (structurally lsp's JobRunner; the
 * training layer cannot import lsp). Policy: one job per document at a time.
 * A second train or gradcheck request for a document whose job is still
 * running is refused with a message naming that job (stop it first); jobs of
 * different documents run at once, each in its own worker. Each document's
 * last run per network is kept for hovers and inlay hints, and, for a
 * training run that ended with weights, everything saving it as a model
 * needs (the compiled request, the source text, the result), so the editor
 * can save or export it later without retraining.
 */
import { pathToFileURL } from "node:url";
import { dirname } from "node:path";
import { LineIndex, type NetworkModel } from "../language/index";
import type {
  DoneParams, EpochMetrics, GradcheckParams, GradcheckReport, JobStarted, ProgressParams, StopParams, TrainParams,
} from "../protocol/index";
import { compileJob, type CompileInput } from "./compile";
import type { DataFileOptions } from "./data-files";
import { startJob, type HostOptions, type JobHandle, type JobOutcome } from "./host";
import type { JobKind, JobRequest, JobResult } from "./messages";
import { checkModelTarget, modelFromRun, writeModelFile, type RunSource } from "./model-file";
import type { TrainedModel } from "../model/index";

/** What the server gives a job: the document as it is now, and where to report. */
export interface RunnerContext {
  uri: string;
  /** file system path of the document, when it has one (CSV paths are relative to it) */
  path?: string;
  text: string;
  version: number;
  progress(params: ProgressParams): void;
  done(params: DoneParams): void;
}

/** A document's last run of one network. */
export interface LastRun {
  jobId: string;
  network: string;
  kind: JobKind;
  status: "running" | DoneParams["status"];
  version: number;
  message?: string;
  history: EpochMetrics[];
  /** the last epoch's per-layer statistics (gradNorm, meanAbsDelta, updateRatio) */
  layers: EpochMetrics["layers"];
  gradcheck?: GradcheckReport;
  /** a training run that ended (completed or stopped) with weights: what its model is built from */
  saveable?: SaveableRun;
}

export interface SaveableRun {
  request: JobRequest;
  source: RunSource;
  result: JobResult;
}

/** There is no training run with weights to save: the editor offers to train. */
export class NoRunError extends Error {
  constructor(readonly network: string | undefined, why: string) {
    super(why);
    this.name = "NoRunError";
  }
}

export interface RunnerOptions extends HostOptions {
  /** where a document's data may be read from; when given, workspaceRoot and allowOutsideWorkspace are not used */
  dataFiles?(uri: string): DataFileOptions;
  /** the workspace folder a document's data must stay in; default the document's own folder */
  workspaceRoot?(path: string | undefined): string | undefined;
  allowOutsideWorkspace?: boolean;
  maxDataBytes?: number;
}

interface Running {
  jobId: string;
  handle: JobHandle;
}

export class TrainingRunner {
  private readonly running = new Map<string, Running>();
  private readonly runs = new Map<string, Map<string, LastRun>>();
  private nextId = 1;

  constructor(private readonly options: RunnerOptions = {}) {}

  train(params: TrainParams, context: RunnerContext): Promise<JobStarted> {
    return this.start("train", context, { network: params.network, maxEpochs: params.maxEpochs, gradcheckAfter: params.gradcheck });
  }

  gradcheck(params: GradcheckParams, context: RunnerContext): Promise<JobStarted> {
    return this.start("gradcheck", context, { network: params.network, epsilon: params.epsilon, tolerance: params.tolerance });
  }

  async stop(params: StopParams): Promise<{ stopped: number }> {
    const targets = [...this.running.entries()].filter(([uri, job]) => (params.jobId ? job.jobId === params.jobId : params.uri ? uri === params.uri : true));
    await Promise.all(targets.map(([, job]) => job.handle.stop()));
    return { stopped: targets.length };
  }

  /** The last run of each network of a document. */
  lastRuns(uri: string): ReadonlyMap<string, LastRun> | undefined {
    return this.runs.get(uri);
  }

  /** The document's last run of `network`, or, when none is named, the latest that trained (or checked a trained network). */
  lastRun(uri: string, network?: string): LastRun | undefined {
    const runs = [...(this.runs.get(uri)?.values() ?? [])];
    if (network !== undefined) return runs.find((run) => run.network === network);
    const order = (run: LastRun): number => Number(run.jobId.slice("job-".length));
    return runs.filter((run) => run.kind === "train" || run.saveable).sort((a, b) => order(b) - order(a))[0];
  }

  /**
   * The model of the document's last training run of `network`, as it would
   * be written to `target` (CSV paths are kept relative to it). Throws
   * NoRunError when there is no run with weights.
   */
  modelOf(uri: string, network: string | undefined, target: string): TrainedModel {
    const run = this.lastRun(uri, network);
    const what = network ? `'${network}'` : "this document";
    if (!run) throw new NoRunError(network, `${what} has not been trained in this session; train it first`);
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
    const run = this.lastRun(uri, model.network.name)!.saveable!;
    const spec = run.request.data.spec;
    checkModelTarget(target, { ...(run.source.path ? { source: run.source.path } : {}), data: spec.kind === "csv" ? [spec.path] : [] });
    writeModelFile(target, model);
    return { path: target, network: model.network.name, epochs: model.epochs };
  }

  /** Where a document's data files may be read from (the workspace rule training uses). */
  dataOptions(path: string | undefined): DataFileOptions {
    return this.files(path ? pathToFileURL(path).href : "untitled:model", path);
  }

  /** Whether a document has a job running now. */
  busy(uri: string): boolean {
    return this.running.has(uri);
  }

  dispose(): void {
    void this.stop({});
  }

  private files(uri: string, path: string | undefined): DataFileOptions {
    if (this.options.dataFiles) {
      const files = this.options.dataFiles(uri);
      return this.options.maxDataBytes ? { ...files, maxBytes: this.options.maxDataBytes } : files;
    }
    const root = this.options.workspaceRoot?.(path) ?? (path ? dirname(path) : undefined);
    return {
      ...(root ? { root } : {}),
      ...(this.options.allowOutsideWorkspace ? { allowOutsideWorkspace: true } : {}),
      ...(this.options.maxDataBytes ? { maxBytes: this.options.maxDataBytes } : {}),
    };
  }

  private async start(kind: JobKind, context: RunnerContext, extra: Partial<CompileInput>): Promise<JobStarted> {
    const busy = this.running.get(context.uri);
    if (busy) throw new Error(`a job (${busy.jobId}) is already running for this document; stop it before starting another`);
    const defined = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) as Partial<CompileInput>;
    const compiled = compileJob({ ...defined, kind, text: context.text, ...(context.path ? { path: context.path } : {}), displayName: context.path ?? context.uri, files: this.files(context.uri, context.path) });
    if (!compiled.ok) throw new Error(compiled.problems.join("\n"));
    const jobId = `job-${this.nextId++}`;
    const { request, model } = compiled;
    // a stopped run rolls back to its last whole epoch, so what is saved matches the metrics shown
    if (kind === "train") request.keepLastEpoch = true;
    const network = request.network.name;
    const epochs = kind === "train" ? request.train.epochs : 0;
    // a gradient check starts from fresh weights: the trained run it follows stays saveable
    const kept = kind === "gradcheck" ? this.runs.get(context.uri)?.get(network)?.saveable : undefined;
    const run = this.record(context.uri, { jobId, network, kind, status: "running", version: context.version, history: [], layers: [], ...(kept ? { saveable: kept } : {}) });
    const handle = startJob(request, (message) => {
      run.history.push(message.metrics);
      run.layers = message.metrics.layers;
      context.progress({ jobId, uri: context.uri, network, kind, epochs, metrics: message.metrics, ...(message.grid ? { grid: message.grid } : {}) });
    }, this.options);
    this.running.set(context.uri, { jobId, handle });
    void handle.outcome.then((outcome) => {
      if (this.running.get(context.uri)?.jobId === jobId) this.running.delete(context.uri);
      context.done(this.finish(run, outcome, context, model, request));
    });
    return { jobId, network, summary: compiled.summary, epochs };
  }

  private record(uri: string, run: LastRun): LastRun {
    let byNetwork = this.runs.get(uri);
    if (!byNetwork) this.runs.set(uri, (byNetwork = new Map()));
    byNetwork.set(run.network, run);
    return run;
  }

  private finish(run: LastRun, outcome: JobOutcome, context: RunnerContext, model: NetworkModel, request: JobRequest): DoneParams {
    const base = { jobId: run.jobId, uri: context.uri, network: run.network, kind: run.kind };
    if (outcome.status === "failed") {
      const { failure } = outcome;
      run.status = "failed";
      run.message = failure.message;
      if (failure.history) run.history = failure.history;
      const line = failureLine(context.text, model, failure.layer);
      return { ...base, status: "failed", message: failure.message, ...(line !== undefined ? { line } : {}), history: run.history };
    }
    const { result } = outcome;
    run.status = outcome.status;
    if (result.history.length > 0) run.history = result.history;
    run.layers = run.history[run.history.length - 1]?.layers ?? run.layers;
    if (result.gradcheck) run.gradcheck = result.gradcheck.report;
    if (run.kind === "train" && result.weights && result.history.length > 0) {
      run.saveable = { request, source: { ...(context.path ? { path: context.path } : {}), text: context.text }, result };
    }
    return {
      ...base, status: outcome.status, history: run.history,
      ...(result.gradcheck ? { gradcheck: result.gradcheck.report } : {}), ...(result.grid ? { grid: result.grid } : {}),
      ...(result.stopped ? { stopped: result.stopped } : {}),
    };
  }
}

// A divergence points at the layer's declaration, any other failure at the data entry.
function failureLine(text: string, model: NetworkModel, layer: string | undefined): number | undefined {
  const span = (layer ? model.layerByName.get(layer)?.entry.span : undefined) ?? model.data?.entry.span;
  return span ? new LineIndex(text).position(span.start).line : undefined;
}
