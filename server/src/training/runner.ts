/**
 * The language server's job runner (structurally lsp's JobRunner; the
 * training layer cannot import lsp). Policy: one job per document at a time.
 * A second train or gradcheck request for a document whose job is still
 * running is refused with a message naming that job (stop it first); jobs of
 * different documents run at once, each in its own worker. Each document's
 * last run per network is kept for hovers and inlay hints.
 */
import { dirname } from "node:path";
import { LineIndex, type NetworkModel } from "../language/index";
import type {
  DoneParams, EpochMetrics, GradcheckParams, GradcheckReport, JobStarted, ProgressParams, StopParams, TrainParams,
} from "../protocol/index";
import { compileJob, type CompileInput } from "./compile";
import type { DataFileOptions } from "./data-files";
import { startJob, type HostOptions, type JobHandle, type JobOutcome } from "./host";
import type { JobKind } from "./messages";

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
    const network = request.network.name;
    const epochs = kind === "train" ? request.train.epochs : 0;
    const run = this.record(context.uri, { jobId, network, kind, status: "running", version: context.version, history: [], layers: [] });
    const handle = startJob(request, (message) => {
      run.history.push(message.metrics);
      run.layers = message.metrics.layers;
      context.progress({ jobId, uri: context.uri, network, kind, epochs, metrics: message.metrics, ...(message.grid ? { grid: message.grid } : {}) });
    }, this.options);
    this.running.set(context.uri, { jobId, handle });
    void handle.outcome.then((outcome) => {
      if (this.running.get(context.uri)?.jobId === jobId) this.running.delete(context.uri);
      context.done(this.finish(run, outcome, context, model));
    });
    return { jobId, network, summary: compiled.summary, epochs };
  }

  private record(uri: string, run: LastRun): LastRun {
    let byNetwork = this.runs.get(uri);
    if (!byNetwork) this.runs.set(uri, (byNetwork = new Map()));
    byNetwork.set(run.network, run);
    return run;
  }

  private finish(run: LastRun, outcome: JobOutcome, context: RunnerContext, model: NetworkModel): DoneParams {
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
    return {
      ...base, status: outcome.status, history: run.history,
      ...(result.gradcheck ? { gradcheck: result.gradcheck.report } : {}), ...(result.grid ? { grid: result.grid } : {}),
    };
  }
}

// A divergence points at the layer's declaration, any other failure at the data entry.
function failureLine(text: string, model: NetworkModel, layer: string | undefined): number | undefined {
  const span = (layer ? model.layerByName.get(layer)?.entry.span : undefined) ?? model.data?.entry.span;
  return span ? new LineIndex(text).position(span.start).line : undefined;
}
