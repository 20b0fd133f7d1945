/**
 * The engine against PyTorch in float64 (test/engine/torch_oracle.py): the
 * new activations' values and slopes on a grid, every gradient of random
 * DAG networks with gelu, silu, selu, dropout (the engine's masks fed to
 * torch), mae and huber, and full-batch sgd with l1 and l2 replayed step by
 * step. Skipped where /usr/bin/python3 cannot import torch.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  activationOf, computeGradients, createNetwork, lastCaches, setDropout, train, transpose, type LossName, type Matrix, type Network, type NetworkSpec,
} from "../../server/src/engine/index";
import { Random, newActivations, randomNetwork, randomTargets, hiddenActivations, type OutputPair } from "../ide/random-networks";

const python = "/usr/bin/python3";
const hasTorch = spawnSync(python, ["-c", "import torch"], { encoding: "utf8" }).status === 0;
if (!hasTorch) console.warn("PyTorch oracle tests skipped: /usr/bin/python3 cannot import torch (apt install python3-torch)");

type Case = Record<string, unknown> & { kind: "gradients" | "activations" | "train" };

function oracle(cases: Case[]): unknown[] {
  const result = spawnSync(python, [join(__dirname, "torch_oracle.py")], {
    input: JSON.stringify(cases), encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, OMP_NUM_THREADS: "1" },
  });
  if (result.status !== 0) throw new Error(`torch_oracle.py failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as unknown[];
}

/** Examples as rows, as torch takes them. */
const rowsOf = (m: Matrix): number[][] => Array.from({ length: m.cols }, (_, c) => Array.from({ length: m.rows }, (_, r) => m.data[r * m.cols + c]!));

const relative = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300));

function batch(random: Random, spec: NetworkSpec, m: number): { x: Matrix; y: Matrix } {
  const units = spec.layers[spec.layers.length - 1]!.units;
  const x: Matrix = { rows: spec.input.units, cols: m, data: Float64Array.from({ length: spec.input.units * m }, () => random.normal()) };
  return { x, y: { rows: units, cols: m, data: randomTargets(random, spec.loss, units, m) } };
}

function paramsOf(network: Network): { layer: string; W: number[][]; b: number[] }[] {
  return network.dense.map((d) => ({
    layer: d.name, b: Array.from(d.bias),
    W: Array.from({ length: d.units }, (_, r) => Array.from(d.weights.data.subarray(r * d.fanIn, (r + 1) * d.fanIn))),
  }));
}

// Output pairs the oracle writes without clipping: the new losses on any output, and the fused cross-entropies.
const pairs: OutputPair[] = [
  { activation: { name: "identity" }, loss: "mae", partialRange: false },
  { activation: { name: "tanh" }, loss: "mae", partialRange: false },
  { activation: { name: "identity" }, loss: "huber", partialRange: false },
  { activation: { name: "gelu" }, loss: "huber", partialRange: false },
  { activation: { name: "identity" }, loss: "mse", partialRange: false },
  { activation: { name: "silu" }, loss: "mse", partialRange: false },
  { activation: { name: "softmax" }, loss: "cross_entropy", partialRange: false },
  { activation: { name: "sigmoid" }, loss: "binary_cross_entropy", partialRange: false },
];

interface GradientCase {
  spec: NetworkSpec;
  network: Network;
  masks: Record<string, number[][]>;
  loss: number;
}

const gradientCases: GradientCase[] = [];
let gradientAnswers: { loss: number; grads: Record<string, { W: number[]; b: number[] }> }[] = [];
const grid = [
  ...Array.from({ length: 161 }, (_, i) => -10 + i / 8), -1e-300, 1e-300, -1e-8, 1e-8,
  -20, -30, -37.5, -38.5, -40, -700, -745, -1e3, -1e10, 20, 30, 40, 700, 710, 1e3, 1e10,
];
let activationAnswer: Record<string, { value: number[]; slope: number[] }> = {};
const trainCases: { spec: NetworkSpec; network: Network; before: ReturnType<typeof paramsOf>; l1: number; l2: number }[] = [];
let trainAnswers: Record<string, { W: number[]; b: number[] }>[] = [];

const trainSpec = (l1: number, l2: number) =>
  ({ optimizer: { name: "sgd" as const, lr: 0.05, momentum: 0 }, epochs: 6, batch: "full" as const, validation: 0, seed: 1, shuffle: false, l2, l1 });

beforeAll(() => {
  if (!hasTorch) return;
  const random = new Random(1313);
  const cases: Case[] = [{ kind: "activations", names: newActivations.map((a) => a.name), z: grid }];
  for (const pair of pairs) {
    for (let trial = 0; trial < 12; trial++) {
      const spec = randomNetwork(random, pair, random.int(2, 6), { activations: [...newActivations, ...hiddenActivations], dropout: 0.35 });
      if (spec.loss === "huber") spec.huberDelta = random.pick([0.3, 1, 2.5]);
      const network = createNetwork(spec, { seed: random.int(1, 1000) });
      for (const d of network.dense) d.bias.forEach((_, i) => (d.bias[i] = 0.3 * random.normal()));
      const { x, y } = batch(random, spec, 6);
      setDropout(network, "draw", random.int(1, 1000));
      const loss = computeGradients(network, x, y);
      const masks: Record<string, number[][]> = {};
      for (const cache of lastCaches(network)) if (cache.mask) masks[cache.name] = rowsOf(cache.mask);
      gradientCases.push({ spec, network, masks, loss });
      cases.push({ kind: "gradients", spec, params: paramsOf(network), x: rowsOf(x), y: rowsOf(y), masks });
    }
  }
  for (const [l1, l2] of [[0.01, 0], [0.003, 0.01], [0, 0]]) {
    for (const loss of ["mae", "huber", "mse"] as LossName[]) {
      const spec = randomNetwork(random, { activation: { name: "identity" }, loss, partialRange: false }, 3, { activations: newActivations });
      const network = createNetwork(spec, { seed: 7 });
      // some weights start at exactly 0, where l1's subgradient is 0
      network.dense[0]!.weights.data[0] = 0;
      const { x, y } = batch(random, spec, 8);
      const before = paramsOf(network);
      train(network, { x: transpose(x), y: transpose(y) }, trainSpec(l1, l2));
      trainCases.push({ spec, network, before, l1, l2 });
      cases.push({ kind: "train", spec, params: before, x: rowsOf(x), y: rowsOf(y), lr: 0.05, l1, l2, steps: 6, masks: {} });
    }
  }
  const answers = oracle(cases);
  activationAnswer = answers[0] as typeof activationAnswer;
  gradientAnswers = answers.slice(1, 1 + gradientCases.length) as typeof gradientAnswers;
  trainAnswers = answers.slice(1 + gradientCases.length) as typeof trainAnswers;
});

describe.skipIf(!hasTorch)("the engine equals PyTorch in float64", () => {
  for (const name of ["gelu", "silu", "selu"] as const) {
    it(`${name}: σ(z) and σ′(z) equal torch.nn.functional.${name} and its autograd on a grid with large |z|`, () => {
      const activation = activationOf({ name });
      const torch = activationAnswer[name]!;
      // torch's gelu is ½z(1 + erf(z/√2)) and its selu λα(eᶻ − 1): both round to about 1e-16·|z| absolutely,
      // which is far more than relative precision in gelu's lower tail and near selu's 0
      // (and near the end of the float64 range, e.g. silu(−745) ≈ 4e-321, torch rounds to 0)
      const absolute = (z: number): number => (name === "silu" ? 1e-300 : 1e-15 * Math.max(1, Math.abs(z)));
      let worst = 0;
      grid.forEach((z, i) => {
        for (const [what, mine, theirs] of [["σ", activation.value(z), torch.value[i]!], ["σ′", activation.slope(z), torch.slope[i]!]] as const) {
          const allowed = 1e-14 * Math.abs(theirs) + absolute(z);
          expect(Math.abs(mine - theirs), `${what} ${name}(${z}) = ${mine}, torch ${theirs}`).toBeLessThanOrEqual(allowed);
          if (Math.abs(theirs) > 1e-8) worst = Math.max(worst, relative(mine, theirs));
        }
      });
      const reference = activationAnswer[`${name}_reference`];
      let worstReference = 0;
      if (reference) {
        grid.forEach((z, i) => {
          for (const [what, mine, exact] of [["σ", activation.value(z), reference.value[i]!], ["σ′", activation.slope(z), reference.slope[i]!]] as const) {
            // relative everywhere, tails included (below about 1e-290 both underflow alike); in gelu's tail the
            // rounding of z/√2, which both forms make, is amplified by d ln Φ/dz ≈ −z, hence the z² term
            const error = Math.abs(mine - exact) / Math.max(Math.abs(exact), 1e-290);
            expect(error, `${what} ${name}(${z}) = ${mine}, math.erfc/expm1 reference ${exact}`).toBeLessThan(2e-14 + 4e-16 * Math.min(z * z, 1e6));
            worstReference = Math.max(worstReference, error);
          }
        });
      }
      console.log(`${name} on ${grid.length} points: largest relative difference from torch where |σ| > 1e-8 ${worst.toExponential(2)}${reference ? `, from the erfc/expm1 reference ${worstReference.toExponential(2)}` : ""}`);
    });
  }

  it("every gradient of random DAGs with gelu, silu, selu, dropout, mae and huber equals torch's autograd", () => {
    expect(gradientCases.length).toBe(pairs.length * 12);
    let worst = 0;
    let dropouts = 0;
    gradientCases.forEach((c, k) => {
      const answer = gradientAnswers[k]!;
      dropouts += Object.keys(c.masks).length;
      expect(relative(c.loss, answer.loss), `loss of case ${k}`).toBeLessThan(1e-12);
      for (const d of c.network.dense) {
        const want = answer.grads[d.name]!;
        const pairsOf: [Float64Array, number[]][] = [[d.weightGradient.data, want.W], [d.biasGradient, want.b]];
        for (const [engine, torch] of pairsOf) {
          expect(engine.length).toBe(torch.length);
          // an entry that sums to about 0 keeps only rounding noise: 1e-14 absolutely, for entries of order 1
          const floor = 1e-5 * Math.max(1, ...torch.map(Math.abs));
          engine.forEach((g, i) => {
            const error = Math.abs(g - torch[i]!) / Math.max(floor, Math.abs(torch[i]!));
            worst = Math.max(worst, error);
            expect(error, `${c.spec.loss} case ${k} ${d.name} entry ${i}: engine ${g}, torch ${torch[i]} in ${JSON.stringify(c.spec.layers)}`).toBeLessThan(1e-9);
          });
        }
      }
    });
    expect(dropouts).toBeGreaterThan(20);
    console.log(`torch oracle: ${gradientCases.length} random networks, ${dropouts} dropout layers, worst relative gradient error ${worst.toExponential(2)}`);
  });

  it("dropout masks are inverted: each entry 0 or 1/(1 − p), about 1 − p of them kept", () => {
    const counts = new Map<number, { kept: number; total: number }>();
    for (const c of gradientCases) {
      for (const layer of c.spec.layers) {
        if (layer.kind !== "dropout") continue;
        const tally = counts.get(layer.rate) ?? { kept: 0, total: 0 };
        for (const value of c.masks[layer.name]!.flat()) {
          expect([0, 1 / (1 - layer.rate)]).toContain(value);
          tally.kept += value === 0 ? 0 : 1;
          tally.total++;
        }
        counts.set(layer.rate, tally);
      }
    }
    expect(counts.size).toBeGreaterThan(1);
    for (const [rate, { kept, total }] of counts) {
      // seeded, so this is a fixed number: within 4 standard deviations of 1 − p
      expect(Math.abs(kept / total - (1 - rate)), `p = ${rate}: ${kept} of ${total} kept`).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / total));
    }
  });

  it("full-batch sgd with l1 and l2 on the weights equals torch's autograd of C + λ₁Σ|W| + λ₂/2 ΣW², step by step", () => {
    let worst = 0;
    trainCases.forEach((c, k) => {
      const want = trainAnswers[k]!;
      for (const d of c.network.dense) {
        const pairsOf: [Float64Array, number[]][] = [[d.weights.data, want[d.name]!.W], [d.bias, want[d.name]!.b]];
        for (const [engine, torch] of pairsOf) {
          engine.forEach((w, i) => {
            const error = Math.abs(w - torch[i]!);
            worst = Math.max(worst, error);
            expect(error, `${c.spec.loss} l1 ${c.l1} l2 ${c.l2} ${d.name} entry ${i}`).toBeLessThan(1e-12);
          });
        }
      }
      // l1 moved the weights: the run differs from the same run without it
      if (c.l1 > 0) {
        const plain = createNetwork(c.spec, { seed: 7 });
        expect(plain.dense[0]!.weights.data[1]).toBe(c.before[0]!.W[0]![1]);
      }
    });
    console.log(`torch oracle: ${trainCases.length} sgd runs with l1/l2, worst weight difference ${worst.toExponential(2)}`);
  });
});
