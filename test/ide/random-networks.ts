/** Random NetworkSpecs for the numeric tests: chains, several successors, add and concat. */
import type { ActivationSpec, LayerSpec, LossName, NetworkSpec } from "../../server/src/engine/index";

export class Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state * 1664525 + 1013904223) >>> 0;
    return this.state / 2 ** 32;
  }
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
}

export const hiddenActivations: ActivationSpec[] = [
  { name: "identity" }, { name: "sigmoid" }, { name: "tanh" }, { name: "relu" },
  { name: "leaky_relu", alpha: 0.1 }, { name: "elu", alpha: 0.7 }, { name: "softplus" },
];

/** The activations issue 13 added, for the tests that cover them. */
export const newActivations: ActivationSpec[] = [{ name: "gelu" }, { name: "silu" }, { name: "selu" }];

export interface RandomOptions {
  /** hidden activations to pick from (default hiddenActivations) */
  activations?: ActivationSpec[];
  /** chance that a hidden layer is a dropout layer over an earlier one */
  dropout?: number;
}

export interface OutputPair {
  activation: ActivationSpec;
  loss: LossName;
  /** a cross-entropy on an activation that can leave (0, 1): the loss is only defined, and compared, where 0 < a < 1 */
  partialRange: boolean;
}

const allOutputs: ActivationSpec[] = [...hiddenActivations, { name: "softmax" }];
const insideUnitInterval = new Set(["sigmoid", "softmax"]);

/** Every output activation with every loss. */
export const outputPairs: OutputPair[] = (["mse", "binary_cross_entropy", "cross_entropy"] as LossName[]).flatMap((loss) =>
  allOutputs.map((activation) => ({ activation, loss, partialRange: loss !== "mse" && !insideUnitInterval.has(activation.name) })));

function hiddenLayer(random: Random, name: string, earlier: { name: string; units: number }[], options: RandomOptions = {}): LayerSpec {
  if (options.dropout && earlier.length >= 2 && random.next() < options.dropout) {
    const from = random.next() < 0.7 ? earlier[earlier.length - 1]! : random.pick(earlier);
    return { kind: "dropout", name, units: from.units, from: from.name, rate: random.pick([0.1, 0.25, 0.5, 0.8]) };
  }
  const roll = random.next();
  const sameSize = earlier.filter((layer) => earlier.filter((other) => other.units === layer.units).length >= 2 && layer.name !== earlier[0]!.name);
  if (roll < 0.2 && sameSize.length >= 2) {
    const units = random.pick(sameSize).units;
    const operands = sameSize.filter((layer) => layer.units === units).slice(-3).map((layer) => layer.name);
    if (operands.length >= 2) return { kind: "add", name, units, from: operands };
  }
  if (roll < 0.4 && earlier.length >= 2) {
    const parts = [random.pick(earlier), random.pick(earlier)];
    return { kind: "concat", name, units: parts.reduce((total, part) => total + part.units, 0), from: parts.map((part) => part.name) };
  }
  const from = random.next() < 0.6 ? earlier[earlier.length - 1]! : random.pick(earlier);
  return { kind: "dense", name, units: random.pick([2, 3, 3, 4]), from: from.name, activation: random.pick(options.activations ?? hiddenActivations), init: { name: "xavier" } };
}

export function randomNetwork(random: Random, pair: OutputPair, depth: number, options: RandomOptions = {}): NetworkSpec {
  const input = { name: "x", units: random.int(2, 4) };
  const layers: LayerSpec[] = [];
  const known = [input];
  for (let i = 1; i <= depth; i++) {
    const layer = hiddenLayer(random, `h${i}`, known, options);
    layers.push(layer);
    known.push({ name: layer.name, units: layer.units });
  }
  const units = pair.activation.name === "softmax" || pair.loss === "cross_entropy" ? random.int(2, 4) : random.int(1, 3);
  layers.push({ kind: "dense", name: "out", units, from: known[known.length - 1]!.name, activation: pair.activation, init: { name: "xavier" } });
  return { name: "random", input, layers, loss: pair.loss };
}

const regression: ReadonlySet<LossName> = new Set(["mse", "mae", "huber"]);

/** Targets that suit the loss: one-hot for cross-entropy, 0/1 for bce, reals for mse, mae and huber. */
export function randomTargets(random: Random, loss: LossName, units: number, m: number): Float64Array {
  const y = new Float64Array(units * m);
  for (let column = 0; column < m; column++) {
    const hot = random.int(0, units - 1);
    for (let row = 0; row < units; row++) {
      y[row * m + column] = regression.has(loss) ? random.normal() : loss === "cross_entropy" ? Number(row === hot) : random.int(0, 1);
    }
  }
  return y;
}
