/**
 * The .nnet language core: parsing, checking and compiling to the engine's
 * specs. It imports neither vscode nor vscode-languageserver and does no I/O:
 * files come through the host's FileAccess.
 */
export * from "./syntax/index";
export * from "./semantics/index";
export { LineIndex, type Position } from "./line-index";
export { location, diagnosticLine } from "./location";
export { closest } from "./suggest";
export { defaultGradcheckSpec, defaultTrainSpec } from "../engine/index";
export type {
  ActivationName, ActivationSpec, DataSpec, GeneratorName, GradcheckSpec, InitSpec, LayerSpec, LossName, NetworkSpec, OptimizerSpec, TrainSpec,
} from "../engine/index";
export * from "./formula/index";
