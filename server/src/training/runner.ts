/**
 * The language server's job runner. Policy: one job per document at a time.
 * A second train or gradcheck request for a document whose job is still
 * running is refused with a message naming that job (stop it first); jobs of
 * different documents run at once, each in its own worker. It keeps nothing
 * of a run once the run has ended: it reports each epoch and the end to the
 * caller, which records them (the server's RunStore).
 */
import { pathToFileURL } from "node:url";
import { dirname } from "node:path";
import { LineIndex, type NetworkModel } from "../language/index";
import { shownGradcheck, type DataProgressParams, type DoneParams, type GradcheckParams, type JobStarted, type ProgressParams, type StopParams, type StopResult, type TrainParams } from "../protocol/index";
import { compileJob, type CheckerError, type CompileInput } from "./compile";
import type { DataFileOptions } from "./data-files";
import { startJob, type HostOptions, type JobHandle } from "./host";
import type { JobFailure, JobKind, JobRequest } from "./messages";
import type { SaveableRun } from "./run-store";

/** What the server gives a job: the document as it is now, and where to report. */
export interface RunnerContext {
  uri: string;
  /** file system path of the document, when it has one (CSV paths are relative to it) */
  path?: string;
  text: string;
  version: number;
  progress(params: ProgressParams): void;
  /** a large CSV file being read */
  dataProgress?(params: DataProgressParams): void;
  /** the end of the job */
  done(params: DoneParams, ended: JobEnd): void;
}

/** What a job was, for the record of its end: the compiled request, and for a training run that ended with weights, what saving it needs. */
export interface JobEnd {
  request: JobRequest;
  saveable?: SaveableRun;
}

export interface RunnerOptions extends HostOptions {
  /** where a document's data may be read from; when given, workspaceRoot and allowOutsideWorkspace are not used */
  dataFiles?(uri: string): DataFileOptions;
  /** the workspace folder a document's data must stay in; default the document's own folder */
  workspaceRoot?(path: string | undefined): string | undefined;
  allowOutsideWorkspace?: boolean;
  maxDataBytes?: number;
}

/** The network cannot run: `errors` are the checker's, for the editor to point at (empty for other refusals). */
export class JobRefusedError extends Error {
  constructor(message: string, readonly network: string | undefined, readonly errors: CheckerError[]) {
    super(message);
    this.name = "JobRefusedError";
  }
}

interface Running {
  jobId: string;
  handle: JobHandle;
}

export class TrainingRunner {
  private readonly running = new Map<string, Running>();
  private nextId = 1;

  constructor(private readonly options: RunnerOptions = {}) {}

  train(params: TrainParams, context: RunnerContext): Promise<JobStarted> {
    return this.start("train", context, { network: params.network, maxEpochs: params.maxEpochs, threads: params.threads, gradcheckAfter: params.gradcheck });
  }

  gradcheck(params: GradcheckParams, context: RunnerContext): Promise<JobStarted> {
    return this.start("gradcheck", context, { network: params.network, epsilon: params.epsilon, tolerance: params.tolerance, threads: params.threads });
  }

  async stop(params: StopParams): Promise<StopResult> {
    const targets = [...this.running.entries()].filter(([uri, job]) => (params.jobId ? job.jobId === params.jobId : params.uri ? uri === params.uri : true));
    await Promise.all(targets.map(([, job]) => job.handle.stop()));
    return { stopped: targets.length };
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
    if (!compiled.ok) throw new JobRefusedError(compiled.problems.join("\n"), compiled.network, compiled.errors ?? []);
    const jobId = `job-${this.nextId++}`;
    const { request, model } = compiled;
    // a stopped run rolls back to its last whole epoch, so what is saved matches the metrics shown
    if (kind === "train") request.keepLastEpoch = true;
    const network = request.network.name;
    const epochs = kind === "train" ? request.train.epochs : 0;
    const handle = startJob(request, (message) => {
      context.progress({ jobId, uri: context.uri, network, kind, epochs, metrics: message.metrics, ...(message.grid ? { grid: message.grid } : {}) });
    }, { ...this.options, onDataProgress: (done, total) => context.dataProgress?.({ jobId, uri: context.uri, network, done, total }) });
    this.running.set(context.uri, { jobId, handle });
    void handle.outcome.then((outcome) => {
      if (this.running.get(context.uri)?.jobId === jobId) this.running.delete(context.uri);
      const base = { jobId, uri: context.uri, network, kind };
      if (outcome.status === "failed") return context.done(failed(base, outcome.failure, context.text, model), { request });
      const { result } = outcome;
      const saveable = kind === "train" && result.weights && result.history.length > 0
        ? { request, source: { ...(context.path ? { path: context.path } : {}), text: context.text }, result } : undefined;
      context.done({
        ...base, status: outcome.status, ...(result.history.length > 0 ? { history: result.history } : {}),
        ...(result.gradcheck ? { gradcheck: shownGradcheck(result.gradcheck.report) } : {}), ...(result.grid ? { grid: result.grid } : {}),
        ...(result.metrics ? { report: result.metrics } : {}), ...(result.stopped ? { stopped: result.stopped } : {}),
      }, { request, ...(saveable ? { saveable } : {}) });
    });
    return { jobId, network, summary: compiled.summary, epochs };
  }
}

function failed(base: Pick<DoneParams, "jobId" | "uri" | "network" | "kind">, failure: JobFailure, text: string, model: NetworkModel): DoneParams {
  const line = failureLine(text, model, failure.layer);
  return {
    ...base, status: "failed", message: failure.message,
    ...(line !== undefined ? { line } : {}), ...(failure.history ? { history: failure.history } : {}),
  };
}

// A divergence points at the layer's declaration, any other failure at the data entry.
function failureLine(text: string, model: NetworkModel, layer: string | undefined): number | undefined {
  const span = (layer ? model.layerByName.get(layer)?.entry.span : undefined) ?? model.data?.entry.span;
  return span ? new LineIndex(text).position(span.start).line : undefined;
}
