/**
 * The training layer: a checked .nnet network to an engine job, its data
 * (generators, iris, inline rows, CSV files inside the workspace), jobs in a
 * worker thread with progress and cancellation, atomic saving, and the store
 * of what runs left.
 */
export { compileJob, ambiguousNetwork, type CompileInput, type Compiled, type CheckerError } from "./compile";
export {
  checkDataFile, readDataFile, guardedFiles, maxDataFileBytes, DataFileError, type DataFileOptions, type WorkspaceFiles,
} from "./data-files";
export { LoadCancelled, type FillOptions } from "./csv-rows";
export { csvDataset, csvDatasetFromBytes, decodeUtf8, headerWidth, widthProblem, maxDataColumns, CsvDataError, type Batch, type CsvRequest } from "./csv-data";
export { csvSample, sampleAbove, sampleOfFile } from "./csv-sample";
export { firstInvalidUtf8 } from "./utf8";
export { loadDataset, loadDatasetAsync, shouldStandardise } from "./load-data";
export { runJob, failureOf, prepareJob, reportLoadingAbove, type JobIo, type Prepared } from "./run-job";
export { initialModel } from "./initial-model";
export { runKernel, enableRelaxedSimd, defaultThreads, threadCountError, kernelNames, type KernelName, type RunKernel } from "./kernels";
export { gemmThreads, splitAbove, type GemmThreads } from "./gemm-threads";
export { modelDataRequest, modelDataset, modelDatasetAsync, modelEvaluationRows } from "./model-data";
export { startJob, defaultWorkerPath, type HostOptions, type JobHandle, type JobOutcome } from "./host";
export { TrainingRunner, JobRefusedError, type JobEnd, type RunnerContext, type RunnerOptions } from "./runner";
export { RunStore, NoRunError, type StoredRun, type SaveableRun, type JobRecord } from "./run-store";
export { RunHistory, runSettings, defaultRunLimit, defaultModelLimit, type ModelBuilder, type RunHistoryOptions } from "./run-history";
export { writeFileAtomic, openAtomic, removeTemporaries, targetProblem, type AtomicFile, type TargetRule, type WriteHooks } from "./save";
export {
  writeModelFile, readModelFile, isModelFile, checkModelTarget, modelFromRun, retargetModel, modelPaths, sha256, ModelTargetError, type ModelParts, type RunSource,
} from "./model-file";
export type {
  CheckpointMessage, DataRequest, DataSummary, DoneMessage, ResumeState, EpochMessage, FailedMessage, JobFailure, JobKind, JobRequest, JobResult, Standardisation, WorkerMessage,
} from "./messages";
export { readFeatureTable, eachFeatureBatch, parseRowsArgument, TableError, type FeatureTable, type TableOptions } from "./feature-table";
