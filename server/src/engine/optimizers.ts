/**
 * Optimizers over every dense layer's W and b.
 * - sgd: v ← μv − η g, θ ← θ + v (plain gradient descent when μ = 0)
 * - adam: bias-corrected first and second moments (Kingma and Ba)
 * - l2: weight decay λ added to the gradient of W only (not b), i.e. the
 *   minimised cost is C + (λ/2)‖W‖²; reported losses are C without it.
 * - l1: λ₁ sign(W) added to the gradient of W only, the subgradient of
 *   C + λ₁ Σ|W| with sign(0) = 0 (a weight at exactly 0 stays put by it).
 */
import type { DenseNode, Network } from "./network";
import type { OptimizerSpec } from "./spec";

interface ParameterState {
  values: Float64Array;
  gradient: Float64Array;
  decays: boolean;
  first: Float64Array;
  second: Float64Array;
  /** ‖Δθ‖² of the last update, ‖θ‖² after it and ‖g‖² of its gradient */
  movedSquared: number;
  normSquared: number;
  gradientSquared: number;
}

export interface Optimizer {
  /** Applies one update from the current gradients; with `measure`, also records updateRatios. */
  step(measure: boolean): void;
  /** ‖ΔW‖ / ‖W‖ of the last measured step, per dense layer */
  readonly updateRatios: Float64Array;
  /** ‖∂C/∂W‖ (without l2) of the gradient the last step used, per dense layer; summed in the update's own pass */
  readonly gradientNorms: Float64Array;
  /** A copy of what the next updates depend on, to save with the weights. */
  state(): OptimizerState;
  /** Continues from a saved state (checked against this network and optimizer; changes nothing on failure). */
  restore(state: OptimizerState): void;
}

/** Per dense layer: sgd's velocity, or Adam's first (and second) moments, shaped as W and b. */
export interface MomentState {
  layer: string;
  first: { W: Float64Array; b: Float64Array };
  second?: { W: Float64Array; b: Float64Array };
}

export interface OptimizerState {
  optimizer: OptimizerSpec["name"];
  /** updates applied so far (Adam's t) */
  step: number;
  layers: MomentState[];
}

function statesOf(layer: DenseNode, adam: boolean): ParameterState[] {
  const make = (values: Float64Array, gradient: Float64Array, decays: boolean): ParameterState => ({
    values, gradient, decays,
    first: new Float64Array(values.length),
    second: adam ? new Float64Array(values.length) : new Float64Array(0),
    movedSquared: 0, normSquared: 0, gradientSquared: 0,
  });
  return [make(layer.weights.data, layer.weightGradient.data, true), make(layer.bias, layer.biasGradient, false)];
}

export function createOptimizer(network: Network, spec: OptimizerSpec, l2: number, l1 = 0): Optimizer {
  const adam = spec.name === "adam";
  const layers = network.dense.map((layer) => statesOf(layer, adam));
  const updateRatios = new Float64Array(layers.length);
  const gradientNorms = new Float64Array(layers.length);
  let t = 0;
  const step = (measure: boolean): void => {
    t++;
    const correction1 = adam ? 1 - Math.pow(spec.beta1, t) : 1;
    const correction2 = adam ? 1 - Math.pow(spec.beta2, t) : 1;
    for (let l = 0; l < layers.length; l++) {
      let updateSquared = 0;
      let weightSquared = 0;
      for (const p of layers[l]) {
        const decay = p.decays ? l2 : 0;
        const sparse = p.decays ? l1 : 0;
        if (adam) adamUpdate(p, decay, sparse, spec.lr, spec.beta1, spec.beta2, spec.eps, correction1, correction2, measure);
        else sgdUpdate(p, decay, sparse, spec.lr, spec.name === "sgd" ? spec.momentum : 0, measure);
        if (p.decays) {
          updateSquared = p.movedSquared;
          weightSquared = p.normSquared;
          gradientNorms[l] = Math.sqrt(p.gradientSquared);
        }
      }
      if (measure) updateRatios[l] = weightSquared > 0 ? Math.sqrt(updateSquared / weightSquared) : 0;
    }
  };
  const state = (): OptimizerState => ({
    optimizer: spec.name, step: t,
    layers: network.dense.map((layer, l) => {
      const [w, b] = layers[l];
      return { layer: layer.name, first: { W: w.first.slice(), b: b.first.slice() }, ...(adam ? { second: { W: w.second.slice(), b: b.second.slice() } } : {}) };
    }),
  });
  const restore = (saved: OptimizerState): void => {
    checkState(network, spec, saved, layers);
    t = saved.step;
    saved.layers.forEach((moments, l) => {
      const [w, b] = layers[l];
      w.first.set(moments.first.W);
      b.first.set(moments.first.b);
      if (adam && moments.second) {
        w.second.set(moments.second.W);
        b.second.set(moments.second.b);
      }
    });
  };
  return { step, updateRatios, gradientNorms, state, restore };
}

function checkState(network: Network, spec: OptimizerSpec, saved: OptimizerState, layers: ParameterState[][]): void {
  if (saved.optimizer !== spec.name) throw new Error(`the saved optimizer state is ${saved.optimizer}'s; this run uses ${spec.name}`);
  if (!Number.isInteger(saved.step) || saved.step < 0) throw new Error(`the saved optimizer step ${saved.step} is not a count`);
  if (saved.layers.length !== layers.length) throw new Error(`the saved optimizer state has ${saved.layers.length} layers; the network has ${layers.length}`);
  saved.layers.forEach((moments, l) => {
    const [w, b] = layers[l];
    const name = network.dense[l].name;
    const fits = (m: { W: Float64Array; b: Float64Array } | undefined): boolean => !!m && m.W.length === w.values.length && m.b.length === b.values.length;
    if (moments.layer !== name || !fits(moments.first) || (spec.name === "adam" && !fits(moments.second))) {
      throw new Error(`the saved optimizer state of layer ${l + 1} does not fit '${name}'`);
    }
  });
}

function sgdUpdate(p: ParameterState, decay: number, sparse: number, lr: number, momentum: number, measure: boolean): void {
  const { values, gradient, first: velocity } = p;
  const size = values.length;
  let squared = 0;
  if (momentum === 0 && decay === 0 && sparse === 0 && !measure) {
    for (let i = 0; i < size; i++) {
      const g = gradient[i];
      values[i] -= lr * g;
      squared += g * g;
    }
    p.gradientSquared = squared;
    return;
  }
  let moved = 0, norm = 0;
  for (let i = 0; i < size; i++) {
    squared += gradient[i] * gradient[i];
    const g = gradient[i] + decay * values[i] + sparse * Math.sign(values[i]);
    const change = momentum === 0 ? -lr * g : (velocity[i] = momentum * velocity[i] - lr * g);
    const value = values[i] + change;
    values[i] = value;
    if (measure) {
      moved += change * change;
      norm += value * value;
    }
  }
  p.movedSquared = moved;
  p.normSquared = norm;
  p.gradientSquared = squared;
}

function adamUpdate(
  p: ParameterState, decay: number, sparse: number, lr: number, beta1: number, beta2: number, eps: number,
  correction1: number, correction2: number, measure: boolean,
): void {
  const { values, gradient, first, second } = p;
  let moved = 0, norm = 0, squared = 0;
  for (let i = 0; i < values.length; i++) {
    squared += gradient[i] * gradient[i];
    const g = gradient[i] + decay * values[i] + sparse * Math.sign(values[i]);
    first[i] = beta1 * first[i] + (1 - beta1) * g;
    second[i] = beta2 * second[i] + (1 - beta2) * g * g;
    const change = (-lr * (first[i] / correction1)) / (Math.sqrt(second[i] / correction2) + eps);
    const value = values[i] + change;
    values[i] = value;
    if (measure) {
      moved += change * change;
      norm += value * value;
    }
  }
  p.movedSquared = moved;
  p.normSquared = norm;
  p.gradientSquared = squared;
}
