/** nnet/modelSummary's answer: what `nnet summary MODEL` prints, as data for the model viewer. */
import { provenance, specSummary, type TrainedModel } from "../../../model/index";
import type { ModelSummaryResult } from "../../../protocol/index";

function historySummary(model: TrainedModel): ModelSummaryResult["history"] {
  const history = model.history;
  if (history.length === 0) return { epochs: model.epochs };
  const best = history.reduce((a, b) => (b.loss < a.loss ? b : a));
  return { epochs: model.epochs, firstLoss: history[0]!.loss, lastLoss: history[history.length - 1]!.loss, bestLoss: best.loss, bestEpoch: best.epoch };
}

export function modelSummary(model: TrainedModel): ModelSummaryResult {
  const { train } = model;
  return {
    summary: specSummary(model.network),
    provenance: provenance(model),
    features: model.features,
    outputs: model.outputs.kind === "classes" ? { kind: "classes", names: model.outputs.labels } : { kind: "values", names: model.outputs.names },
    train: { optimizer: train.optimizer.name, lr: train.optimizer.lr, batch: train.batch, epochs: train.epochs, seed: train.seed, validation: train.validation },
    ...(model.metrics ? { metrics: model.metrics } : {}),
    history: historySummary(model),
    ...(model.source ? { source: model.source } : {}),
    savedAt: model.savedAt,
    createdBy: model.createdBy,
  };
}
