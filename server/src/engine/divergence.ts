/**
 * The likely cause of a diverged run, read from its settings, so the message
 * names what to change instead of always blaming the learning rate. The
 * thresholds are rules of thumb, each ratio says how far past its threshold a
 * setting is, and the worst comes first.
 */
import type { NetworkSpec, TrainSpec } from "./spec";
import { TrainingDivergedError } from "./train";

interface Cause {
  /** value / threshold: above 1, a likely cause */
  ratio: number;
  advice: string;
}

// as a user writes numbers (1e300, not 1e+300); derived ones to 3 digits
const written = (n: number): string => String(n).replace("e+", "e");
const show = (n: number): string => written(Number(n.toPrecision(3)));

// sgd's decay step scales W by 1 − η·λ each step: it grows once η·λ > 2; with adam, λ·W swamps every gradient.
function l2Cause(spec: TrainSpec): Cause | undefined {
  if (!(spec.l2 > 0)) return undefined;
  const { optimizer } = spec;
  if (optimizer.name === "sgd") {
    const step = optimizer.lr * spec.l2;
    return { ratio: step / 2, advice: `l2 ${written(spec.l2)} is too large for lr ${written(optimizer.lr)}: each step scales W by 1 − lr·l2 = ${show(1 - step)}, so W grows instead of decaying; use l2 below ${show(2 / optimizer.lr)} (usually 1e-4 to 1e-2)` };
  }
  return { ratio: spec.l2 / 1e3, advice: `l2 ${written(spec.l2)} is very large: λ·W swamps the loss's gradient; use l2 around 1e-4 to 1e-2` };
}

const usualRates: Record<TrainSpec["optimizer"]["name"], [number, string]> = {
  sgd: [1, "0.001 to 0.5"], adam: [0.1, "1e-4 to 0.01"], adamw: [0.1, "1e-4 to 0.01"], rmsprop: [0.1, "1e-4 to 0.01"],
};

function lrCause(spec: TrainSpec): Cause {
  const { optimizer } = spec;
  const [usual, range] = usualRates[optimizer.name];
  return { ratio: optimizer.lr / usual, advice: `try a smaller learning rate than lr ${written(optimizer.lr)} (${optimizer.name} usually needs ${range})` };
}

// The first epochs' steps are the largest relative to the weights; a warmup ramps η up to them.
function warmupCause(spec: TrainSpec, epoch: number | undefined): Cause | undefined {
  if (epoch === undefined || epoch > 3 || (spec.schedule?.warmup ?? 0) > 0) return undefined;
  const name = spec.schedule?.name ?? "constant";
  return { ratio: lrCause(spec).ratio * 0.99, advice: `warm up: schedule ${name}(…, warmup: 5) starts at lr/6 and reaches lr in epoch 6` };
}

function momentumCause(spec: TrainSpec): Cause | undefined {
  const { optimizer } = spec;
  if ((optimizer.name !== "sgd" && optimizer.name !== "rmsprop") || !(optimizer.momentum > 0)) return undefined;
  return { ratio: optimizer.momentum / 0.99, advice: `${optimizer.name === "sgd" ? "" : "rmsprop "}momentum ${written(optimizer.momentum)} lets the steps build up; use 0.9 or less` };
}

// AdamW scales W by 1 − η·weight_decay every step: past 2 that factor's size exceeds 1 and W grows.
function weightDecayCause(spec: TrainSpec): Cause | undefined {
  const { optimizer } = spec;
  if (optimizer.name !== "adamw" || !(optimizer.weightDecay > 0)) return undefined;
  const factor = 1 - optimizer.lr * optimizer.weightDecay;
  return {
    ratio: (optimizer.lr * optimizer.weightDecay) / 2,
    advice: `adamw weight_decay ${written(optimizer.weightDecay)} is too large for lr ${written(optimizer.lr)}: each step scales W by 1 − lr·weight_decay = ${show(factor)}, so W grows instead of decaying; use weight_decay below ${show(2 / optimizer.lr)} (usually 0.01 to 0.1)`,
  };
}

// A weight scale well above 1/√(fan-in) multiplies z layer after layer.
function initCauses(network: NetworkSpec): Cause[] {
  const causes: Cause[] = [];
  for (const layer of network.layers) {
    if (layer.kind !== "dense") continue;
    const scale = layer.init.name === "normal" ? layer.init.std : layer.init.name === "uniform" ? layer.init.limit : undefined;
    if (scale === undefined) continue;
    const init = layer.init.name === "normal" ? `normal(std: ${written(scale)})` : `uniform(limit: ${written(scale)})`;
    causes.push({ ratio: scale, advice: `layer '${layer.name}' starts from ${init} weights, large enough to overflow z; use xavier or he, or a scale near 0.05` });
  }
  return causes;
}

/** What to change, most likely first: the learning rate when nothing stands out. */
export function divergenceAdvice(network: NetworkSpec, spec: TrainSpec, epoch?: number): string {
  const candidates = [l2Cause(spec), weightDecayCause(spec), lrCause(spec), warmupCause(spec, epoch), momentumCause(spec), ...initCauses(network)];
  const likely = candidates.filter((cause): cause is Cause => cause !== undefined && cause.ratio > 1).sort((p, q) => q.ratio - p.ratio);
  if (likely.length === 0) return lrCause(spec).advice;
  return likely.map((cause) => cause.advice).join("; or ");
}

/** The same divergence, with its advice read from the run's settings. */
export function explainDivergence(error: TrainingDivergedError, network: NetworkSpec, spec: TrainSpec): TrainingDivergedError {
  return new TrainingDivergedError(error.epoch, error.layer, error.quantity, error.history, divergenceAdvice(network, spec, error.epoch));
}
