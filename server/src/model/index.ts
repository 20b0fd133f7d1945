/**
 * Trained models: the description, the safetensors container, and checked
 * decoding. Pure (bytes in and out); the training layer reads and writes files.
 */
export * from "./types";
export { encodeModel, decodeModel, describe } from "./codec";
export { encodeContainer, decodeContainer, type Container, type Tensor } from "./safetensors";
export { networkOf } from "./network";
export type { Description } from "./validate";
export { evaluateRaw, standardise, predictRaw, readPredictions, targetColumns, type Prediction } from "./predict";
export { specSummary, provenance, type SpecLayerSummary } from "./summary";
