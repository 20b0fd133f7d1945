/**
 * The Optimizer scope: the settings in force (the learning rate as the
 * schedule sets it for this epoch), the optimizer's own state per layer as
 * it saves it (sgd's and rmsprop's buffers, Adam's and AdamW's moments,
 * rmsprop's square averages, the step count t), and the epoch's mean
 * ‖∂C/∂W‖ that the vanishing/exploding rule reads.
 */
import type { OptimizerState, Stepper, TrainSpec } from "../engine/index";
import { shownMatrix, type Shown } from "./inspect";
import { column, full } from "./values";

function settings(train: TrainSpec): Shown[] {
  const o = train.optimizer;
  const setting = (name: string, value: number | boolean): Shown => ({ name, value: String(value) });
  switch (o.name) {
    case "sgd": return [setting("momentum", o.momentum), setting("nesterov", o.nesterov === true)];
    case "adam": return [setting("beta1", o.beta1), setting("beta2", o.beta2), setting("eps", o.eps)];
    case "adamw": return [setting("beta1", o.beta1), setting("beta2", o.beta2), setting("eps", o.eps), setting("weight_decay", o.weightDecay)];
    case "rmsprop": return [setting("rho", o.rho), setting("eps", o.eps), setting("momentum", o.momentum)];
  }
}

/** What the optimizer's saved first and second buffers are, in its own terms; absent where it keeps none. */
function bufferNames(train: TrainSpec): { first?: string; second?: string } {
  const o = train.optimizer;
  switch (o.name) {
    case "sgd": return o.momentum !== 0 ? { first: "momentum buffer" } : {};
    case "adam": case "adamw": return { first: "m (first moment)", second: "v (second moment)" };
    case "rmsprop": return { second: "square average s", ...(o.momentum > 0 ? { first: "momentum buffer" } : {}) };
  }
}

function stateVariables(stepper: Stepper, state: OptimizerState, train: TrainSpec): Shown[] {
  const names = bufferNames(train);
  if (!names.first && !names.second) return [];
  return state.layers.map((layer, l): Shown => {
    const node = stepper.network.dense[l];
    const parts: Shown[] = [];
    const add = (label: string, buffers: { W: Float64Array; b: Float64Array } | undefined): void => {
      if (!buffers) return;
      parts.push(shownMatrix(`${label} of W`, { rows: node.units, cols: node.fanIn, data: buffers.W }, undefined));
      parts.push(shownMatrix(`${label} of b`, column(buffers.b), undefined, true));
    };
    if (names.first) add(names.first, layer.first);
    if (names.second) add(names.second, layer.second);
    return { name: `state of ${layer.layer}`, value: [names.first, names.second].filter(Boolean).join(", "), children: () => parts };
  });
}

export function optimizerVariables(stepper: Stepper, train: TrainSpec): Shown[] {
  const o = train.optimizer;
  const state = stepper.optimizerState();
  const scheduled = train.schedule ? ` (schedule ${train.schedule.name}, epoch ${stepper.epoch}; base lr ${o.lr})` : "";
  const norms = stepper.epochGradientNorms();
  const batchesSoFar = stepper.totals.batches + (stepper.backwardDone ? 1 : 0);
  return [
    { name: "optimizer", value: o.name },
    { name: "lr", value: `${full(stepper.lr)}${scheduled}`, evaluateName: "lr" },
    ...settings(train),
    { name: "l2", value: String(train.l2) },
    { name: "l1", value: String(train.l1 ?? 0) },
    { name: "step", value: `${state.step} updates applied (step ${stepper.step + 1} of ${stepper.totalSteps})`, evaluateName: "step" },
    ...stateVariables(stepper, state, train),
    { name: "epoch", value: `${stepper.epoch} of ${train.epochs}`, evaluateName: "epoch" },
    { name: "batch", value: `${stepper.batchInEpoch + 1} of ${stepper.batchesPerEpoch} (${stepper.batchSize} examples each)` },
    {
      name: "epoch mean ‖∂C/∂W‖",
      value: batchesSoFar > 0 ? `over ${batchesSoFar} of ${stepper.batchesPerEpoch} batches (the editor's vanishing/exploding rule reads it)` : "no batch of this epoch has its gradients yet",
      ...(batchesSoFar > 0 ? { children: () => norms.map((n) => ({ name: n.layer, value: full(n.gradNorm) })) } : {}),
    },
  ];
}
