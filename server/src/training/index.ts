/**
 * The training layer: a checked .nnet network to an engine job, its data
 * (generators, iris, inline rows, CSV files inside the workspace), jobs in a
 * worker thread with progress and cancellation, atomic saving, and each
 * document's last run for the editor.
 */
export { compileJob, ambiguousNetwork, type CompileInput, type Compiled } from "./compile";
export {
  checkDataFile, readDataFile, guardedFiles, maxDataFileBytes, DataFileError, type DataFileOptions, type WorkspaceFiles,
} from "./data-files";
export { csvDataset, csvDatasetFromBytes, decodeUtf8, headerWidth, widthProblem, maxDataColumns, CsvDataError, type CsvRequest } from "./csv-data";
export { csvSample, sampleAbove } from "./csv-sample";
export { firstInvalidUtf8 } from "./utf8";
export { loadDataset, shouldStandardise } from "./load-data";
export { runJob, failureOf, type JobIo } from "./run-job";
export { startJob, defaultWorkerPath, type HostOptions, type JobHandle, type JobOutcome } from "./host";
export { TrainingRunner, type RunnerContext, type RunnerOptions, type LastRun } from "./runner";
export { saveRun, savedRun, writeFileAtomic, writeChunksAtomic, removeTemporaries, type SavedRun, type WriteHooks } from "./save";
export type {
  DataRequest, DataSummary, DoneMessage, EpochMessage, FailedMessage, JobFailure, JobKind, JobRequest, JobResult, Standardisation, WorkerMessage,
} from "./messages";
