/**
 * Training and gradient checks behind one interface. The server forwards
 * nnet/train, nnet/gradcheck and nnet/stop to a JobRunner and relays its
 * progress; the runner from the training layer drops in through
 * `startServer(transport, { runner })`. Until one is given, every request is
 * answered with a clear error.
 */
import type { GradcheckParams, JobStarted, StopParams, TrainParams } from "../protocol/index";
import type { DataFileOptions, RunnerContext } from "../training/index";
import type { TrainedModel } from "../model/index";

/** What a job needs from the server: the document as it is now, and where to report. */
export type JobContext = RunnerContext;

export interface JobRunner {
  train(params: TrainParams, context: JobContext): Promise<JobStarted>;
  gradcheck(params: GradcheckParams, context: JobContext): Promise<JobStarted>;
  /** stops one job, or every job of a document; answers how many were stopped */
  stop(params: StopParams): Promise<{ stopped: number }>;
  dispose?(): void;
  /** the model of a document's last training run (throws NoRunError when there is none); absent where training is off */
  modelOf?(uri: string, network: string | undefined, target: string): TrainedModel;
  /** writes that model to `target` after checking the target */
  saveRun?(uri: string, network: string | undefined, target: string): { path: string; network: string; epochs: number };
  /** where a file's data may be read from */
  dataOptions?(path: string | undefined): DataFileOptions;
}

export class TrainingUnavailableError extends Error {
  constructor() {
    super("training is not available in this build of the language server");
  }
}

export const unavailableRunner: JobRunner = {
  train: () => Promise.reject(new TrainingUnavailableError()),
  gradcheck: () => Promise.reject(new TrainingUnavailableError()),
  stop: () => Promise.resolve({ stopped: 0 }),
};
