/**
 * Using a model: raw features in (features × n for predictions, a data set's
 * n × features rows for evaluation), the standardisation the model was
 * trained with, the network, and the outputs read as the model's classes or
 * named values.
 */
import { classIndices, evaluateDataset, predict, zeros, type Matrix, type Network } from "../engine/index";
import type { TrainedModel } from "./types";

export function standardise(model: TrainedModel, raw: Matrix): Matrix {
  const s = model.standardiser;
  if (!s) return raw;
  const data = new Float64Array(raw.data.length);
  for (let r = 0; r < raw.rows; r++) {
    for (let c = 0; c < raw.cols; c++) data[r * raw.cols + c] = (raw.data[r * raw.cols + c] - s.mean[r]) / s.std[r];
  }
  return { rows: raw.rows, cols: raw.cols, data };
}

/** aᴸ for raw features. */
export function predictRaw(model: TrainedModel, network: Network, raw: Matrix): Matrix {
  return predict(network, standardise(model, raw));
}

/**
 * The loss and aᴸ of raw labelled rows, n × features and n × targets (`examples` of them, default all), standardised a chunk
 * at a time: memory beyond the rows themselves is that of the outputs.
 */
export function evaluateRaw(model: TrainedModel, network: Network, x: Matrix, y: Matrix, examples?: ArrayLike<number>): { loss: number; outputs: Matrix } {
  const outputs = zeros(network.nodes[network.output].units, examples ? examples.length : x.rows);
  const { loss } = evaluateDataset(network, { x, y }, undefined, {
    outputs, ...(examples ? { examples } : {}), ...(model.standardiser ? { standardiser: model.standardiser } : {}),
  });
  return { loss, outputs };
}

export interface Prediction {
  /** classification: the predicted label and its probability */
  label?: string;
  probability?: number;
  /** classification: every label's probability; regression: every output's value */
  values: Record<string, number>;
}

export function readPredictions(model: TrainedModel, outputs: Matrix): Prediction[] {
  const n = outputs.cols;
  const at = (r: number, c: number): number => outputs.data[r * n + c];
  if (model.outputs.kind === "values") {
    const names = model.outputs.names;
    return Array.from({ length: n }, (_, c) => ({ values: Object.fromEntries(names.map((name, r) => [name, at(r, c)])) }));
  }
  const labels = model.outputs.labels;
  const chosen = classIndices(outputs);
  return Array.from({ length: n }, (_, c) => {
    const probabilities = outputs.rows === 1 ? [1 - at(0, c), at(0, c)] : labels.map((_, r) => at(r, c));
    return { label: labels[chosen[c]], probability: probabilities[chosen[c]], values: Object.fromEntries(labels.map((l, i) => [l, probabilities[i]])) };
  });
}

/** The CSV columns that hold a model's targets (for evaluate), by name. */
export function targetColumns(model: TrainedModel): string[] {
  const target = model.data?.csv?.target;
  if (model.outputs.kind === "classes") return [typeof target === "string" ? target : "label"];
  return model.outputs.names.length === 1 && typeof target === "string" ? [target] : model.outputs.names;
}
