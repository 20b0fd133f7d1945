/**
 * The extension's view of training runs and gradient checks: it starts
 * them on the server (nnet/train, nnet/gradcheck), stops them (nnet/stop),
 * follows nnet/progress and nnet/done, and tells the rest of the extension
 * through events. Notifications that overtake the start request's answer
 * are held until the job is known. It keeps only what the status bar and the
 * notifications show (the latest epoch and the end); the server owns what a
 * run left.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { onNotification, sendRequest } from "./messages";
import {
  DataProgressNotification, DoneNotification, GradcheckRequest, ProgressNotification, StopRequest, TrainRequest,
  type DataProgressParams, type DoneParams, type EpochMetrics, type GradcheckParams, type JobKind, type JobStarted, type NetworkSummary,
  type ProgressParams, type StopParams, type TrainParams,
} from "../../server/src/protocol";

export interface Job {
  readonly jobId: string;
  readonly kind: JobKind;
  readonly uri: string;
  readonly network: string;
  /** 0 for a gradient check */
  readonly epochs: number;
  readonly summary: NetworkSummary;
  readonly startedAt: number;
  latest?: EpochMetrics;
  done?: DoneParams;
}

export type JobRequest = { kind: "train"; params: TrainParams } | { kind: "gradcheck"; params: GradcheckParams };

/** Notifications held for jobs whose start answer has not arrived yet. */
const maxEarly = 2_000;
/** Finished jobs kept for `finished(jobId)`. */
const keptJobs = 20;

export class JobTracker implements vscode.Disposable {
  private readonly jobs = new Map<string, Job>();
  private readonly early = new Map<string, (ProgressParams | DataProgressParams | DoneParams)[]>();
  private readonly waiters = new Map<string, ((done: DoneParams) => void)[]>();
  private starting = 0;
  private readonly started = new vscode.EventEmitter<Job>();
  private readonly progressed = new vscode.EventEmitter<{ job: Job; params: ProgressParams }>();
  private readonly finishedEmitter = new vscode.EventEmitter<{ job: Job; params: DoneParams }>();
  private readonly loading = new vscode.EventEmitter<{ job: Job; params: DataProgressParams }>();
  private readonly disposables: vscode.Disposable[] = [this.started, this.progressed, this.finishedEmitter, this.loading];
  readonly onDidStart = this.started.event;
  readonly onDidProgress = this.progressed.event;
  readonly onDidFinish = this.finishedEmitter.event;
  /** a large CSV file being read before the first epoch */
  readonly onDidLoadData = this.loading.event;

  constructor(private readonly client: LanguageClient) {
    this.disposables.push(
      onNotification(client, ProgressNotification, (params) => this.receive(params)),
      onNotification(client, DataProgressNotification, (params) => this.receive(params)),
      onNotification(client, DoneNotification, (params) => this.receive(params)),
    );
  }

  /** Starts a job; rejects with the server's message when it refuses (errors in the file, a job already running, …). */
  async start(request: JobRequest): Promise<Job> {
    this.starting++;
    let answer: JobStarted;
    try {
      answer = request.kind === "train"
        ? await sendRequest(this.client, TrainRequest, request.params)
        : await sendRequest(this.client, GradcheckRequest, request.params);
    } finally {
      this.starting--;
    }
    const job: Job = {
      jobId: answer.jobId, kind: request.kind, uri: request.params.uri, network: answer.network,
      epochs: answer.epochs, summary: answer.summary, startedAt: Date.now(),
    };
    this.jobs.set(job.jobId, job);
    this.forgetOldJobs();
    this.started.fire(job);
    const held = this.early.get(job.jobId) ?? [];
    this.early.delete(job.jobId);
    if (this.starting === 0) this.early.clear();
    for (const params of held) this.receive(params);
    return job;
  }

  /** Stops one job, every job of a document, or (no argument) every job; answers how many stopped. */
  async stop(params: StopParams = {}): Promise<number> {
    const { stopped } = await sendRequest(this.client, StopRequest, params);
    return stopped;
  }

  /** Every job the tracker keeps (the last few finished ones and those running). */
  all(): Job[] {
    return [...this.jobs.values()];
  }

  running(): Job[] {
    return [...this.jobs.values()].filter((job) => !job.done);
  }

  /** The job started last, running or not. */
  last(): Job | undefined {
    let last: Job | undefined;
    for (const job of this.jobs.values()) if (!last || job.startedAt >= last.startedAt) last = job;
    return last;
  }

  get(jobId: string): Job | undefined {
    return this.jobs.get(jobId);
  }

  /** Resolves with the job's nnet/done, however long ago it arrived. */
  finished(jobId: string): Promise<DoneParams> {
    const done = this.jobs.get(jobId)?.done;
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => {
      const waiting = this.waiters.get(jobId) ?? [];
      waiting.push(resolve);
      this.waiters.set(jobId, waiting);
    });
  }

  /** The server went away: its jobs will never report their end, so they end here as failures. */
  serverStopped(): void {
    for (const job of this.running()) {
      this.receive({
        jobId: job.jobId, uri: job.uri, network: job.network, kind: job.kind, status: "failed",
        message: "the language server stopped during the run",
      });
    }
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private receive(params: ProgressParams | DataProgressParams | DoneParams): void {
    const job = this.jobs.get(params.jobId);
    if (!job) return this.hold(params);
    if (job.done) return;
    if ("total" in params) {
      this.loading.fire({ job, params });
      return;
    }
    if ("metrics" in params) {
      job.latest = params.metrics;
      this.progressed.fire({ job, params });
      return;
    }
    job.done = params;
    if (params.history && params.history.length > 0) job.latest = params.history[params.history.length - 1];
    this.finishedEmitter.fire({ job, params });
    for (const resolve of this.waiters.get(job.jobId) ?? []) resolve(params);
    this.waiters.delete(job.jobId);
  }

  private hold(params: ProgressParams | DataProgressParams | DoneParams): void {
    if (this.starting === 0) return;
    const held = this.early.get(params.jobId) ?? [];
    if (held.length < maxEarly) held.push(params);
    this.early.set(params.jobId, held);
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((job) => job.done).sort((a, b) => a.startedAt - b.startedAt);
    for (const job of finished.slice(0, Math.max(0, finished.length - keptJobs))) this.jobs.delete(job.jobId);
  }
}
