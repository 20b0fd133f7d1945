/**
 * Running a job in a worker thread. The host lives on whatever the worker
 * does: an exception, process.exit or running out of memory ends that job
 * with a clear failure, and the next job gets a fresh worker. A stop sets
 * the shared flag (the engine polls it between batches); a worker that has
 * not finished after a grace period is terminated.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker, type ResourceLimits } from "node:worker_threads";
import type { GradcheckProgress } from "../engine/index";
import type { CheckpointMessage, EpochMessage, JobFailure, JobRequest, JobResult, StartMessage, WorkerMessage } from "./messages";

export interface HostOptions {
  /** the bundled worker; default worker.js beside this bundle (out/worker.js) */
  workerPath?: string;
  /** default: 2 GiB of old generation */
  resourceLimits?: ResourceLimits;
  /** how long a stopped job may take to notice before it is terminated (ms, default 500) */
  stopGraceMs?: number;
  /** the weights after every `checkpointEvery` epochs */
  onCheckpoint?: (message: CheckpointMessage) => void;
  /** a gradient check's progress, as the worker reports it */
  onGradcheckProgress?(progress: GradcheckProgress): void;
  /** a large CSV file's loading: bytes read, of all */
  onDataProgress?(done: number, total: number): void;
}

export type JobOutcome =
  | { status: "completed" | "cancelled"; result: JobResult }
  | { status: "failed"; failure: JobFailure };

export interface JobHandle {
  /** asks the job to stop; resolves once it has */
  stop(): Promise<JobOutcome>;
  readonly outcome: Promise<JobOutcome>;
}

/** In a bundle (out/cli.js, out/server.js) this is out/worker.js. */
export function defaultWorkerPath(): string {
  return join(__dirname, "worker.js");
}

function deathMessage(error: Error | undefined, code: number): string {
  const reason = (error as NodeJS.ErrnoException | undefined)?.code;
  if (reason === "ERR_WORKER_OUT_OF_MEMORY") return "the training worker ran out of memory; try a smaller network, batch or data set";
  if (error) return `the training worker failed: ${error.message}`;
  return `the training worker stopped unexpectedly (exit code ${code})`;
}

interface Watch {
  request: JobRequest;
  onEpoch: (message: EpochMessage) => void;
  onCheckpoint?: (message: CheckpointMessage) => void;
  onGradcheckProgress?(progress: GradcheckProgress): void;
  onDataProgress?(done: number, total: number): void;
  finish: (outcome: JobOutcome) => void;
  stopRequested: () => boolean;
}

// Every way a worker can end becomes exactly one outcome (finish ignores all but the first).
function watch(worker: Worker, { request, onEpoch, onCheckpoint, onGradcheckProgress, onDataProgress, finish, stopRequested }: Watch): void {
  let failure: Error | undefined;
  const history: EpochMessage["metrics"][] = [];
  worker.on("message", (message: WorkerMessage) => {
    if (message.type === "epoch") {
      history.push(message.metrics);
      onEpoch(message);
    } else if (message.type === "checkpoint") onCheckpoint?.(message);
    else if (message.type === "gradcheck-progress") onGradcheckProgress?.(message.progress);
    else if (message.type === "data-progress") onDataProgress?.(message.done, message.total);
    else if (message.type === "done") finish({ status: message.result.status, result: message.result });
    else finish({ status: "failed", failure: message.failure });
  });
  worker.on("error", (error) => (failure = error));
  worker.on("exit", (code) => {
    if (stopRequested()) finish({ status: "cancelled", result: { status: "cancelled", kind: request.kind, network: request.network.name, history } });
    finish({ status: "failed", failure: { message: deathMessage(failure, code) } });
  });
}

function failedJob(message: string): JobHandle {
  const outcome = Promise.resolve<JobOutcome>({ status: "failed", failure: { message } });
  return { stop: () => outcome, outcome };
}

function spawnWorker(workerPath: string, options: HostOptions): Worker | string {
  if (!existsSync(workerPath)) return `the training worker is missing (${workerPath}); build the project first`;
  try {
    return new Worker(workerPath, { resourceLimits: options.resourceLimits ?? { maxOldGenerationSizeMb: 2048 } });
  } catch (error) {
    return `the training worker could not start: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Starts `request` in a new worker; `onEpoch` sees each epoch as it finishes. */
export function startJob(request: JobRequest, onEpoch: (message: EpochMessage) => void, options: HostOptions = {}): JobHandle {
  const worker = spawnWorker(options.workerPath ?? defaultWorkerPath(), options);
  if (typeof worker === "string") return failedJob(worker);
  let settle!: (outcome: JobOutcome) => void;
  const outcome = new Promise<JobOutcome>((resolve) => (settle = resolve));
  let settled = false;
  let stopRequested = false;
  const finish = (result: JobOutcome): void => {
    if (!settled) settle(result);
    settled = true;
  };
  watch(worker, {
    request, onEpoch, finish, stopRequested: () => stopRequested,
    ...(options.onCheckpoint ? { onCheckpoint: options.onCheckpoint } : {}),
    ...(options.onGradcheckProgress ? { onGradcheckProgress: options.onGradcheckProgress } : {}),
    ...(options.onDataProgress ? { onDataProgress: options.onDataProgress } : {}),
  });
  const stopFlag = new SharedArrayBuffer(4);
  worker.postMessage({ type: "start", request, stop: stopFlag } satisfies StartMessage);
  const stop = (): Promise<JobOutcome> => {
    if (settled || stopRequested) return outcome;
    stopRequested = true;
    Atomics.store(new Int32Array(stopFlag), 0, 1);
    const timer = setTimeout(() => void worker.terminate(), options.stopGraceMs ?? 500);
    void outcome.then(() => clearTimeout(timer));
    return outcome;
  };
  return { stop, outcome };
}
