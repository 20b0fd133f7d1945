/**
 * Optimizers over every dense layer's W and b, each step for step as its
 * torch.optim namesake (docs/training.md gives the formulas):
 * - sgd: buffer ← μ·buffer + g, θ ← θ − η·buffer (θ − η(g + μ·buffer) with nesterov)
 * - adam, adamw: bias-corrected first and second moments (Kingma and Ba);
 *   adamw first shrinks W by 1 − η·weight_decay (decoupled, W only)
 * - rmsprop: s ← ρs + (1 − ρ)g², θ ← θ − η g / (√s + ε), with optional momentum on that step
 * - l2: weight decay λ added to the gradient of W only (not b), i.e. the
 *   minimised cost is C + (λ/2)‖W‖²; reported losses are C without it.
 * - l1: λ₁ sign(W) added to the gradient of W only, the subgradient of
 *   C + λ₁ Σ|W| with sign(0) = 0 (a weight at exactly 0 stays put by it).
 * The learning rate is set per epoch by the schedule (setLearningRate).
 */
import { squaredNorm } from "./epoch-totals";
import type { VectorOps } from "./kernel";
import type { DenseNode, Network } from "./network";
import type { OptimizerName, OptimizerSpec } from "./spec";

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
  /** η for the next steps: the schedule's value for this epoch */
  setLearningRate(lr: number): void;
}

/**
 * Per dense layer, shaped as W and b: sgd's momentum buffer (torch's, not scaled by η), Adam's
 * first and second moments, or RMSprop's momentum buffer (first) and mean square (second).
 */
export interface MomentState {
  layer: string;
  first: { W: Float64Array; b: Float64Array };
  second?: { W: Float64Array; b: Float64Array };
}

export interface OptimizerState {
  optimizer: OptimizerName;
  /** updates applied so far (Adam's t) */
  step: number;
  layers: MomentState[];
}

/** Whether the optimizer keeps a second moment per parameter. */
export const hasSecondMoment = (name: OptimizerName): boolean => name !== "sgd";

/**
 * Each network's moment arrays, taken over by every optimizer made for it:
 * a resident kernel's memory is never freed, so a network trained again and
 * again must not allocate them anew. The optimizer that holds them is the owner.
 */
interface HeldMoments {
  arrays: Map<string, Float64Array>;
  owner: object;
}
const momentsOf = new WeakMap<Network, HeldMoments>();

function takeMoments(network: Network, owner: object): (key: string, length: number) => Float64Array {
  const held = momentsOf.get(network) ?? { arrays: new Map<string, Float64Array>(), owner };
  held.owner = owner;
  momentsOf.set(network, held);
  const { arrays } = held;
  return (key, length) => {
    let array = arrays.get(key);
    if (!array) arrays.set(key, (array = network.allocate(length)));
    return array.fill(0);
  };
}

function statesOf(layer: DenseNode, adam: boolean, moments: (key: string, length: number) => Float64Array): ParameterState[] {
  const make = (param: string, values: Float64Array, gradient: Float64Array, decays: boolean): ParameterState => ({
    values, gradient, decays,
    first: moments(`${layer.index} ${param} first`, values.length),
    second: adam ? moments(`${layer.index} ${param} second`, values.length) : new Float64Array(0),
    movedSquared: 0, normSquared: 0, gradientSquared: 0,
  });
  return [make("W", layer.weights.data, layer.weightGradient.data, true), make("b", layer.bias, layer.biasGradient, false)];
}

export function createOptimizer(network: Network, spec: OptimizerSpec, l2: number, l1 = 0): Optimizer {
  const second = hasSecondMoment(spec.name);
  const owner = {};
  const moments = takeMoments(network, owner);
  const layers = network.dense.map((layer) => statesOf(layer, second, moments));
  // an earlier optimizer's moments are now the later one's: reading or stepping them would be a silent wrong answer
  const current = (): void => {
    if (momentsOf.get(network)?.owner !== owner) throw new Error(`a later optimizer of network '${network.name}' has taken over its moments; use that one`);
  };
  const updateRatios = new Float64Array(layers.length);
  const gradientNorms = new Float64Array(layers.length);
  let t = 0;
  let lr = spec.lr;
  const step = (measure: boolean): void => {
    current();
    t++;
    const update = updateOf(spec, t, lr, network.kernel.vector);
    for (let l = 0; l < layers.length; l++) {
      let updateSquared = 0;
      let weightSquared = 0;
      for (const p of layers[l]) {
        update(p, p.decays ? l2 : 0, p.decays ? l1 : 0, measure);
        if (p.decays) {
          updateSquared = p.movedSquared;
          weightSquared = p.normSquared;
          gradientNorms[l] = Math.sqrt(p.gradientSquared);
        }
      }
      if (measure) updateRatios[l] = weightSquared > 0 ? Math.sqrt(updateSquared / weightSquared) : 0;
    }
  };
  const state = (): OptimizerState => {
    current();
    return stateOf();
  };
  const stateOf = (): OptimizerState => ({
    optimizer: spec.name, step: t,
    layers: network.dense.map((layer, l) => {
      const [w, b] = layers[l];
      return { layer: layer.name, first: { W: w.first.slice(), b: b.first.slice() }, ...(second ? { second: { W: w.second.slice(), b: b.second.slice() } } : {}) };
    }),
  });
  const restore = (saved: OptimizerState): void => {
    current();
    checkState(network, spec, saved, layers);
    t = saved.step;
    saved.layers.forEach((moments, l) => {
      const [w, b] = layers[l];
      w.first.set(moments.first.W);
      b.first.set(moments.first.b);
      if (second && moments.second) {
        w.second.set(moments.second.W);
        b.second.set(moments.second.b);
      }
    });
  };
  const setLearningRate = (next: number): void => { lr = next; };
  return { step, updateRatios, gradientNorms, state, restore, setLearningRate };
}

type Update = (p: ParameterState, decay: number, sparse: number, measure: boolean) => void;

// One parameter's update at step t with learning rate lr.
function updateOf(spec: OptimizerSpec, t: number, lr: number, vector: VectorOps | undefined): Update {
  switch (spec.name) {
    case "sgd": return (p, decay, sparse, measure) => sgdUpdate(p, decay, sparse, lr, spec.momentum, spec.nesterov === true, measure, vector);
    case "rmsprop": return (p, decay, sparse, measure) => rmspropUpdate(p, decay, sparse, lr, spec, measure, vector);
    default: {
      const moments = { ...spec, correction1: 1 - Math.pow(spec.beta1, t), correction2: 1 - Math.pow(spec.beta2, t) };
      const shrink = spec.name === "adamw" ? 1 - lr * spec.weightDecay : 1;
      return (p, decay, sparse, measure) => adamUpdate(p, decay, sparse, lr, moments, p.decays ? shrink : 1, measure, vector);
    }
  }
}

function checkState(network: Network, spec: OptimizerSpec, saved: OptimizerState, layers: ParameterState[][]): void {
  if (saved.optimizer !== spec.name) throw new Error(`the saved optimizer state is ${saved.optimizer}'s; this run uses ${spec.name}`);
  if (!Number.isInteger(saved.step) || saved.step < 0) throw new Error(`the saved optimizer step ${saved.step} is not a count`);
  if (saved.layers.length !== layers.length) throw new Error(`the saved optimizer state has ${saved.layers.length} layers; the network has ${layers.length}`);
  saved.layers.forEach((moments, l) => {
    const [w, b] = layers[l];
    const name = network.dense[l].name;
    const fits = (m: { W: Float64Array; b: Float64Array } | undefined): boolean => !!m && m.W.length === w.values.length && m.b.length === b.values.length;
    if (moments.layer !== name || !fits(moments.first) || (hasSecondMoment(spec.name) && !fits(moments.second))) {
      throw new Error(`the saved optimizer state of layer ${l + 1} does not fit '${name}'`);
    }
  });
}

// Stores the step −η·d in `change` for measuring; torch's p.add_(d, alpha=−η) rounds the same.
function sgdUpdate(
  p: ParameterState, decay: number, sparse: number, lr: number, momentum: number, nesterov: boolean, measure: boolean, vector: VectorOps | undefined,
): void {
  const { values, gradient, first: buffer } = p;
  const size = values.length;
  if (momentum === 0 && decay === 0 && sparse === 0 && !measure) {
    const squared = vector?.sgd(values, gradient, lr);
    if (squared !== undefined) {
      p.gradientSquared = squared;
      return;
    }
    for (let i = 0; i < size; i++) values[i] -= lr * gradient[i];
    p.gradientSquared = squaredNorm(gradient);
    return;
  }
  if (decay === 0 && sparse === 0 && !measure) {
    const squared = vector?.momentum(values, gradient, buffer, lr, momentum, nesterov);
    if (squared !== undefined) {
      p.gradientSquared = squared;
      return;
    }
  }
  const general = { lr, decay, sparse, momentum, nesterov, measure, moved: 0, norm: 0 };
  const squared = vector?.sgdStep(values, gradient, buffer, general);
  if (squared !== undefined) return recordStep(p, squared, general);
  p.gradientSquared = squaredNorm(gradient);
  let moved = 0, norm = 0;
  for (let i = 0; i < size; i++) {
    const g = gradient[i] + decay * values[i] + sparse * Math.sign(values[i]);
    let direction = g;
    if (momentum !== 0) {
      const b = (buffer[i] = momentum * buffer[i] + g);
      direction = nesterov ? g + momentum * b : b;
    }
    const change = -lr * direction;
    const value = values[i] + change;
    values[i] = value;
    if (measure) {
      moved += change * change;
      norm += value * value;
    }
  }
  p.movedSquared = moved;
  p.normSquared = norm;
}

interface Moments {
  beta1: number;
  beta2: number;
  eps: number;
  correction1: number;
  correction2: number;
}

// torch's order: (√v / √(1 − β₂ᵗ) + ε), then θ − (η / (1 − β₁ᵗ))·m / that
function adamUpdate(
  p: ParameterState, decay: number, sparse: number, lr: number, m: Moments, shrink: number, measure: boolean, vector: VectorOps | undefined,
): void {
  const { values, gradient, first, second } = p;
  const { beta1, beta2, eps } = m;
  const stepSize = lr / m.correction1;
  const root2 = Math.sqrt(m.correction2);
  const moments = { beta1, beta2, step: stepSize, root2, eps, shrink };
  if (decay === 0 && sparse === 0 && !measure) {
    const squared = vector?.adam(values, gradient, first, second, moments);
    if (squared !== undefined) {
      p.gradientSquared = squared;
      return;
    }
  }
  const general = { decay, sparse, measure, moved: 0, norm: 0 };
  const squared = vector?.adamStep(values, gradient, first, second, moments, general);
  if (squared !== undefined) return recordStep(p, squared, general);
  p.gradientSquared = squaredNorm(gradient);
  let moved = 0, norm = 0;
  for (let i = 0; i < values.length; i++) {
    const g = gradient[i] + decay * values[i] + sparse * Math.sign(values[i]);
    first[i] = beta1 * first[i] + (1 - beta1) * g;
    second[i] = beta2 * second[i] + (1 - beta2) * g * g;
    const before = values[i];
    const value = before * shrink - stepSize * (first[i] / (Math.sqrt(second[i]) / root2 + eps));
    values[i] = value;
    if (measure) {
      const change = value - before;
      moved += change * change;
      norm += value * value;
    }
  }
  p.movedSquared = moved;
  p.normSquared = norm;
}

// what a SIMD step measured: the squared norms of the gradient, of the change and of the values
function recordStep(p: ParameterState, gradientSquared: number, measured: { moved: number; norm: number }): void {
  p.gradientSquared = gradientSquared;
  p.movedSquared = measured.moved;
  p.normSquared = measured.norm;
}

function rmspropUpdate(
  p: ParameterState, decay: number, sparse: number, lr: number, spec: { rho: number; eps: number; momentum: number }, measure: boolean, vector: VectorOps | undefined,
): void {
  const { values, gradient, first: buffer, second: meanSquare } = p;
  const { rho, eps, momentum } = spec;
  const general = { lr, decay, sparse, momentum, nesterov: false, measure, moved: 0, norm: 0 };
  const squared = vector?.rmspropStep(values, gradient, buffer, meanSquare, rho, eps, general);
  if (squared !== undefined) return recordStep(p, squared, general);
  p.gradientSquared = squaredNorm(gradient);
  let moved = 0, norm = 0;
  for (let i = 0; i < values.length; i++) {
    const g = gradient[i] + decay * values[i] + sparse * Math.sign(values[i]);
    meanSquare[i] = rho * meanSquare[i] + (1 - rho) * g * g;
    const scaled = g / (Math.sqrt(meanSquare[i]) + eps);
    const direction = momentum > 0 ? (buffer[i] = momentum * buffer[i] + scaled) : scaled;
    const change = -lr * direction;
    const value = values[i] + change;
    values[i] = value;
    if (measure) {
      moved += change * change;
      norm += value * value;
    }
  }
  p.movedSquared = moved;
  p.normSquared = norm;
}
