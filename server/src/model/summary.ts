/** A saved model's layer table (the shape of `nnet summary`) and where it came from. */
import type { LayerSpec, NetworkSpec } from "../engine/index";
import type { TrainedModel } from "./types";

export interface SpecLayerSummary {
  name: string;
  kind: "input" | LayerSpec["kind"];
  units: number;
  activation?: string;
  from: string[];
  params: number;
}

export function specSummary(spec: NetworkSpec): { network: string; loss: string; layers: SpecLayerSummary[]; totalParams: number } {
  const units = new Map<string, number>([[spec.input.name, spec.input.units]]);
  const layers: SpecLayerSummary[] = [{ name: spec.input.name, kind: "input", units: spec.input.units, from: [], params: 0 }];
  for (const layer of spec.layers) {
    units.set(layer.name, layer.units);
    if (layer.kind === "dense") {
      layers.push({ name: layer.name, kind: "dense", units: layer.units, activation: layer.activation.name, from: [layer.from], params: layer.units * (units.get(layer.from)! + 1) });
    } else if (layer.kind === "dropout") {
      layers.push({ name: layer.name, kind: "dropout", units: layer.units, from: [layer.from], params: 0 });
    } else layers.push({ name: layer.name, kind: layer.kind, units: layer.units, from: layer.from, params: 0 });
  }
  return { network: spec.name, loss: spec.loss, layers, totalParams: layers.reduce((sum, l) => sum + l.params, 0) };
}

/** The lines that say what a model is for and where it came from. */
export function provenance(model: TrainedModel): string[] {
  const outputs = model.outputs.kind === "classes" ? `classes: ${model.outputs.labels.join(", ")}` : `outputs: ${model.outputs.names.join(", ")}`;
  const m = model.metrics;
  const pct = (v: number | undefined): string => (v === undefined ? "" : ` ${(100 * v).toFixed(1)}%`);
  const metrics = m ? `loss ${m.loss.toPrecision(4)}${m.accuracy !== undefined ? `, accuracy${pct(m.accuracy)}` : ""}${m.valLoss !== undefined ? `, val loss ${m.valLoss.toPrecision(4)}` : ""}${m.valAccuracy !== undefined ? `, val accuracy${pct(m.valAccuracy)}` : ""}` : "not trained";
  return [
    `features: ${model.features.join(", ")}${model.standardiser ? " (standardised)" : ""}`,
    outputs,
    `trained: ${model.epochs} epochs with ${model.train.optimizer.name} (lr ${model.train.optimizer.lr}${model.train.schedule ? `, schedule ${model.train.schedule.name}` : ""}), batch ${model.train.batch}, seed ${model.train.seed}; ${metrics}`,
    ...(model.stopped ? [`stopped early at epoch ${model.stopped.epoch}: ${model.stopped.reason}`] : []),
    ...(model.source ? [`from: ${model.source.file}, network '${model.source.network}' (sha256 ${model.source.sha256.slice(0, 12)}…)`] : []),
    `saved: ${model.savedAt} by ${model.createdBy}`,
  ];
}
