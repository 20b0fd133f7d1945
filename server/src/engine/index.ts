/**
 * The engine's public surface: numeric code only, importing nothing but its
 * own files. Matrices are Float64Array, row-major, one example per column.
 */
export * from "./spec";
export type { Matrix } from "./matrix";
export { zeros, sharedZeros, fromRows, toRows, toColumns, cloneMatrix, transpose, transposeInto } from "./matrix";
export type { BatchGather, GatherJob, Kernel } from "./kernel";
export { jsKernel, referenceKernel } from "./kernel";
export { availableWasmKernels, compileGemm, createWasmKernel, defaultKernel, hasRelaxedSimd, transposeIn } from "./wasm-kernel";
export type { CompiledGemm, Multiply, Split, Transpose, WasmKernelName } from "./wasm-kernel";
export type { Activation } from "./activations";
export { activationOf, sigmoidOf, softplusOf, geluOf, siluOf, seluScale, seluAlpha } from "./activations";
export { erf, erfc, normalCdf, normalPdf } from "./erf";
export type { OutputRule } from "./losses";
export { lossValue, lossGradient, outputDelta, outputRule, CLIP } from "./losses";
export { Rng } from "./rng";
export type { Network, NetworkNode, DenseNode, JoinNode, DropoutNode, DropoutMode, InputNode, NetworkOptions } from "./network";
export { createNetwork, totalParameters } from "./network";
export type { NodeCache, LayerParameters, LayerWeights, SavedWeights } from "./api";
export {
  forward, evaluateLoss, computeGradients, predict, lastCaches, parameters, exportWeights, importWeights, checkBatchShape, setDropout,
} from "./api";
export type { NetworkPlan, PlanNode, PlanEdge, BackwardEdge, PassCosts, Contribution, NodeKind } from "./plan";
export { networkPlan } from "./plan";
export type { GradcheckOptions, GradcheckProgress, GradcheckRow, GradcheckReport, GradcheckRaw, GradcheckResult } from "./gradcheck";
export { gradcheck, defaultTiny, GradcheckStopped } from "./gradcheck";
export type { Optimizer, OptimizerState } from "./optimizers";
export { createOptimizer } from "./optimizers";
export type { LayerStats, EpochMetrics, TrainOptions, TrainResult } from "./train";
export { train, TrainingDivergedError } from "./train";
export type { EarlyStop } from "./early-stop";
export { learningRateAt } from "./schedules";
export { divergenceAdvice, explainDivergence } from "./divergence";
export type { EvaluateOptions, Evaluation } from "./evaluate";
export { evaluateDataset, isClassification, regressionLosses } from "./evaluate";
export type { Dataset, Row, RowOptions, Standardiser } from "./dataset";
export {
  datasetFromRows, exampleCount, selectRows, selectExamples, shuffleDataset, splitDataset, splitIndices, fitStandardiser, applyStandardiser, standardiseInPlace, standardiseRows,
} from "./dataset";
export type { PreparedData, PrepareOptions } from "./prepare";
export { prepareData } from "./prepare";
export { generate, irisDataset, datasetFromSpec } from "./generators";
export { irisRows, irisClassNames, irisFeatureNames } from "./iris";
export type { DecisionGrid } from "./grid";
export { decisionGrid } from "./grid";
export type { ClassMetrics, ClassificationReport, OutputErrors, RegressionReport } from "./metrics";
export { classificationReport, regressionReport, classIndices, outputKind, runMetrics } from "./metrics";
export type { OutputKind, RunMetrics } from "./metrics";
export type { Phase, PointKind, PlanPoint, StepperConfig, NonFinite } from "./stepper";
export { Stepper, stepPlan } from "./stepper";
export { EpochTotals, gradientNorm, squaredNorm } from "./epoch-totals";
