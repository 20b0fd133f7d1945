import { expect } from "vitest";
import {
  Rng, createNetwork, datasetFromSpec, exportWeights, train, zeros, type ActivationSpec, type Kernel, type LayerSpec, type LossName, type Matrix, type Network, type NetworkSpec,
} from "../../server/src/engine/index";

export const hiddenActivations: ActivationSpec[] = [
  { name: "identity" }, { name: "sigmoid" }, { name: "tanh" }, { name: "relu" },
  { name: "leaky_relu", alpha: 0.1 }, { name: "elu", alpha: 0.7 }, { name: "softplus" },
];

export function dense(name: string, units: number, from: string, activation: ActivationSpec, std = 0.6): LayerSpec {
  return { kind: "dense", name, units, from, activation, init: { name: "normal", std } };
}

export function chainSpec(widths: number[], hidden: ActivationSpec, output: ActivationSpec, loss: LossName): NetworkSpec {
  const layers: LayerSpec[] = [];
  let from = "x";
  for (let l = 1; l < widths.length; l++) {
    const name = l === widths.length - 1 ? "out" : `h${l}`;
    layers.push(dense(name, widths[l], from, l === widths.length - 1 ? output : hidden));
    from = name;
  }
  return { name: `chain-${hidden.name}-${output.name}-${loss}`, input: { name: "x", units: widths[0] }, layers, loss };
}

/**
 * x → h1 → h2, h1 → h3 (h1 has two successors), add(h2, h3), concat(sum, h1),
 * out from the concat: every kind of BP2 edge.
 */
export function dagSpec(hidden: ActivationSpec, output: ActivationSpec, loss: LossName, outputs: number): NetworkSpec {
  return {
    name: `dag-${hidden.name}-${output.name}-${loss}`,
    input: { name: "x", units: 3 },
    layers: [
      dense("h1", 5, "x", hidden),
      dense("h2", 4, "h1", hidden),
      dense("h3", 4, "h1", hidden),
      { kind: "add", name: "sum", units: 4, from: ["h2", "h3"] },
      { kind: "concat", name: "cat", units: 9, from: ["sum", "h1"] },
      dense("out", outputs, "cat", output),
    ],
    loss,
  };
}

/** A seeded batch with targets that suit the loss (one-hot for cross-entropy, 0/1 for bce). */
export function batchFor(network: Network, m: number, seed: number): { x: Matrix; y: Matrix } {
  const rng = new Rng(seed);
  const inputs = network.nodes[0].units;
  const outputs = network.nodes[network.output].units;
  const x = zeros(inputs, m);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  const y = zeros(outputs, m);
  for (let c = 0; c < m; c++) {
    if (network.loss === "cross_entropy") y.data[rng.int(outputs) * m + c] = 1;
    else for (let r = 0; r < outputs; r++) y.data[r * m + c] = network.loss === "mse" ? rng.normal() : rng.int(2);
  }
  return { x, y };
}

export function build(spec: NetworkSpec, seed = 3): Network {
  return createNetwork(spec, { seed });
}

/** The weights after 5 adam epochs of a 2-9-1 tanh/sigmoid network on circles, multiplying with `kernel`. */
export function weightsTrainedWith(kernel: Kernel): ReturnType<typeof exportWeights> {
  const spec: NetworkSpec = {
    name: "k", input: { name: "x", units: 2 }, loss: "binary_cross_entropy",
    layers: [
      { kind: "dense", name: "h", units: 9, from: "x", activation: { name: "tanh" }, init: { name: "xavier" } },
      { kind: "dense", name: "out", units: 1, from: "h", activation: { name: "sigmoid" }, init: { name: "xavier" } },
    ],
  };
  const data = datasetFromSpec({ kind: "generator", name: "circles", samples: 50, noise: 0.1, classes: 2 }, 1);
  const network = createNetwork(spec, { seed: 2, kernel });
  train(network, data, { optimizer: { name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, epochs: 5, batch: 7, validation: 0, seed: 1, shuffle: true, l2: 0 });
  return exportWeights(network);
}

/** The same kernel without its memory: every product copies its operands in and C out, and the element-wise steps run in JavaScript. */
export const copying = (kernel: Kernel): Kernel => ({ name: kernel.name, gemm: kernel.gemm.bind(kernel) });

export function filled(length: number, rng: Rng, into?: (length: number) => Float64Array): Float64Array {
  const array = into ? into(length) : new Float64Array(length);
  for (let i = 0; i < length; i++) array[i] = rng.normal();
  return array;
}

// NaN, ±0 and ±∞ among the normals, so that a sum's order and a lane's signs show in the bits
const special = [Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308, -1e308];

export function sprinkled(length: number, rng: Rng, allocate: (length: number) => Float64Array, odds = 0.15): Float64Array {
  const array = filled(length, rng, allocate);
  for (let i = 0; i < length; i++) if (rng.next() < odds) array[i] = special[Math.floor(rng.next() * special.length)];
  return array;
}

export function sameBits(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Object.is(v, expected[i]), `at ${i}: ${v} against ${expected[i]}`).toBe(true));
}
