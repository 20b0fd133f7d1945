/**
 * The hover's equations, evaluated by the formula model's one evaluator on
 * the engine's own caches, equal the engine's δ and gradients for every layer
 * (ARCHITECTURE invariant 3), and BP3/BP4 equal central differences of the
 * loss, which use the engine's forward pass only.
 */
import { describe, expect, it } from "vitest";
import {
  computeGradients, createNetwork, evaluateLoss, lastCaches, parameters, setDropout, type ActivationSpec, type Kernel, type Matrix, type NetworkSpec,
} from "../../server/src/engine/index";
import { ExprError, evaluateExpr, networkDeltas, type Expr, type FormulaEnvironment } from "../../server/src/language/index";
import { Random, hiddenActivations, newActivations, outputPairs, randomNetwork, randomTargets, type OutputPair } from "./random-networks";

interface Pass {
  env: FormulaEnvironment;
  kernel: Kernel;
  gradients: Map<string, { dW: Matrix; db: Matrix }>;
  /** C after adding h to one entry of a layer's W or b, with the pass's dropout masks */
  lossWith(layer: string, param: "W" | "b", index: number, h: number): number;
}

type Targets = (random: Random, spec: NetworkSpec, units: number, m: number) => Float64Array;
const anyTargets: Targets = (random, spec, units, m) => randomTargets(random, spec.loss, units, m);

const cut = (value: Matrix, index: number): Matrix => ({
  rows: value.rows, cols: 1, data: Float64Array.from({ length: value.rows }, (_, row) => value.data[row * value.cols + index]!),
});

/** The environment of one example: every cached matrix cut to its column. */
function columnEnvironment(env: FormulaEnvironment, index: number): FormulaEnvironment {
  const none = (): never => { throw new ExprError("not per example"); };
  return {
    batchSize: 1,
    weightedInput: (layer) => cut(env.weightedInput(layer), index),
    activation: (name) => cut(env.activation(name), index),
    delta: (layer) => cut(env.delta(layer), index),
    weight: (layer) => env.weight(layer),
    bias: (layer) => env.bias(layer),
    target: () => cut(env.target(), index),
    mask: (layer) => cut(env.mask(layer), index),
    gradient: none, change: none, scalar: none, example: none,
  };
}

function run(spec: NetworkSpec, random: Random, m: number, targets = anyTargets): Pass {
  const network = createNetwork(spec, { seed: random.int(1, 1000) });
  // dropout layers draw real masks, so the hover's mᵈ is not all ones
  setDropout(network, "draw", random.int(1, 1000));
  const x: Matrix = { rows: spec.input.units, cols: m, data: Float64Array.from({ length: spec.input.units * m }, () => random.normal()) };
  const output = spec.layers[spec.layers.length - 1]!;
  const y: Matrix = { rows: output.units, cols: m, data: targets(random, spec, output.units, m) };
  computeGradients(network, x, y);
  const caches = new Map(lastCaches(network).map((cache) => [cache.name, cache]));
  const found = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new ExprError(`the engine has no ${what}`);
    return value;
  };
  const params = new Map(parameters(network).map((layer) => [layer.layer, layer]));
  const gradients = new Map([...params].map(([name, layer]) => [name, {
    dW: { rows: layer.dW.rows, cols: layer.dW.cols, data: layer.dW.data.slice() },
    db: { rows: layer.db.length, cols: 1, data: layer.db.slice() },
  }]));
  const env: FormulaEnvironment = {
    batchSize: m,
    weightedInput: (layer) => found(caches.get(layer)?.z, `z of ${layer}`),
    activation: (name) => found(caches.get(name)?.a, `a of ${name}`),
    delta: (layer) => found(caches.get(layer)?.delta, `δ of ${layer}`),
    weight: (layer) => found(params.get(layer)?.W, `W of ${layer}`),
    bias: (layer) => { const b = found(params.get(layer)?.b, `b of ${layer}`); return { rows: b.length, cols: 1, data: b }; },
    target: () => y,
    mask: (layer) => found(caches.get(layer)?.mask, `mask of ${layer}`),
    gradient: (param, layer) => { const g = found(gradients.get(layer), `∂C/∂${param} of ${layer}`); return param === "W" ? g.dW : g.db; },
    change: () => { throw new ExprError("no update in this pass"); },
    scalar: (name) => { if (name === "m") return m; throw new ExprError(`no ${name} in this pass`); },
    example: (k) => columnEnvironment(env, k - 1),
  };
  return {
    env, kernel: network.kernel, gradients,
    lossWith: (layer, param, index, h) => {
      const entries = param === "W" ? params.get(layer)!.W.data : params.get(layer)!.b;
      const kept = entries[index]!;
      entries[index] = kept + h;
      // the same masks as the pass whose gradients are checked
      setDropout(network, "fixed");
      const loss = evaluateLoss(network, x, y);
      entries[index] = kept;
      return loss;
    },
  };
}

const value = (expr: Expr, pass: Pass): Matrix => evaluateExpr(expr, pass.env, pass.kernel) as Matrix;

function expectClose(actual: Matrix, expected: Matrix, what: string, columns?: Set<number>): void {
  expect([actual.rows, actual.cols], `${what}: shape`).toEqual([expected.rows, expected.cols]);
  const counted = (i: number) => !columns || columns.has(i % expected.cols);
  const scale = expected.data.reduce((largest, value, i) => (counted(i) ? Math.max(largest, Math.abs(value)) : largest), 0);
  const worst = actual.data.reduce((largest, value, i) => (counted(i) ? Math.max(largest, Math.abs(value - expected.data[i]!)) : largest), 0);
  expect(worst, `${what}: max |difference| against max |value| ${scale}`).toBeLessThanOrEqual(1e-10 * (1 + scale));
}

/** The mean over the batch of one example's value, each read through example(k) as the debugger reads it. */
function averageOverColumns(expr: Expr, pass: Pass): Matrix {
  const m = pass.env.batchSize;
  const parts = Array.from({ length: m }, (_, index) => value({ op: "example", example: { op: "number", value: index + 1 }, of: expr }, pass));
  const data = parts[0]!.data.map((_, i) => parts.reduce((total, part) => total + part.data[i]!, 0) / m);
  return { rows: parts[0]!.rows, cols: parts[0]!.cols, data };
}

// Every column, also where an output leaves (0, 1) and a cross-entropy's clip zeroes ∇ₐC: the tree says so too.
function checkNetwork(spec: NetworkSpec, random: Random, targets = anyTargets): number {
  const pass = run(spec, random, 5, targets);
  const { env, gradients } = pass;
  let checked = 0;
  for (const layer of networkDeltas(spec)) {
    const where = `${spec.loss}/${spec.layers[spec.layers.length - 1]!.kind} layer ${layer.layer} of ${JSON.stringify(spec.layers)}`;
    const delta = env.delta(layer.layer);
    expectClose(value(layer.delta, pass), delta, `${layer.rule} ${where}`);
    expectClose(value(layer.unrolled, pass), delta, `unrolled ${where}`);
    if (layer.bp3 && layer.bp4) {
      const gradient = gradients.get(layer.layer)!;
      expectClose(value(layer.bp3.batched, pass), gradient.db, `BP3 batched ${where}`);
      expectClose(value(layer.bp4.batched, pass), gradient.dW, `BP4 batched ${where}`);
      expectClose(averageOverColumns(layer.bp3.single, pass), gradient.db, `BP3 per example ${where}`);
      expectClose(averageOverColumns(layer.bp4.single, pass), gradient.dW, `BP4 per example ${where}`);
    }
    checked++;
  }
  return checked;
}

describe("symbolic deltas evaluate to the engine's δ and gradients", () => {
  for (const pair of outputPairs) {
    it(`${pair.activation.name} + ${pair.loss}: random chains and DAGs${pair.partialRange ? " (outputs also outside (0, 1))" : ""}`, () => {
      const random = new Random(pair.activation.name.length * 7919 + pair.loss.length);
      let layers = 0;
      const trials = pair.partialRange ? 100 : 25;
      for (let trial = 0; trial < trials; trial++) layers += checkNetwork(randomNetwork(random, pair, random.int(1, 6)), random);
      expect(layers).toBeGreaterThan(25);
    });
  }

  it("softmax + cross_entropy with targets that are not one-hot: soft, summing to 2 or 0, negative", () => {
    // the hover's aᴸ·Σⱼyⱼ − y is what the engine computes for any targets, not only distributions
    const kinds: Targets[] = [
      (random, _spec, units, m) => Float64Array.from({ length: units * m }, () => random.int(0, 3) / 3),
      (_random, _spec, units, m) => new Float64Array(units * m).fill(2 / units),
      (_random, _spec, units, m) => new Float64Array(units * m),
      (random, _spec, units, m) => Float64Array.from({ length: units * m }, () => random.normal()),
    ];
    const pair = outputPairs.find((candidate) => candidate.activation.name === "softmax" && candidate.loss === "cross_entropy")!;
    const random = new Random(11);
    let layers = 0;
    for (const targets of kinds) {
      for (let trial = 0; trial < 5; trial++) layers += checkNetwork(randomNetwork(random, pair, random.int(1, 4)), random, targets);
    }
    expect(layers).toBeGreaterThan(20);
  });

  const grown: OutputPair[] = [
    { activation: { name: "identity" }, loss: "mae", partialRange: false },
    { activation: { name: "gelu" }, loss: "mae", partialRange: false },
    { activation: { name: "identity" }, loss: "huber", partialRange: false },
    { activation: { name: "selu" }, loss: "huber", partialRange: false },
    { activation: { name: "silu" }, loss: "mse", partialRange: false },
    { activation: { name: "softmax" }, loss: "cross_entropy", partialRange: false },
  ];
  for (const pair of grown) {
    it(`gelu, silu, selu and dropout (with drawn masks) in random DAGs, ${pair.activation.name} + ${pair.loss}`, () => {
      const random = new Random(pair.loss.length * 131 + pair.activation.name.length);
      let layers = 0;
      let dropouts = 0;
      for (let trial = 0; trial < 25; trial++) {
        const spec = randomNetwork(random, pair, random.int(2, 6), { activations: [...newActivations, ...hiddenActivations], dropout: 0.3 });
        if (spec.loss === "huber") spec.huberDelta = random.pick([0.25, 1, 3]);
        dropouts += spec.layers.filter((layer) => layer.kind === "dropout").length;
        layers += checkNetwork(spec, random);
      }
      expect(layers).toBeGreaterThan(50);
      expect(dropouts).toBeGreaterThan(5);
    });
  }

  it("covers add, concat, several dense successors and layers that do not reach the output", () => {
    const spec: NetworkSpec = {
      name: "dag",
      input: { name: "x", units: 3 },
      layers: [
        { kind: "dense", name: "h1", units: 4, from: "x", activation: { name: "tanh" }, init: { name: "xavier" } },
        { kind: "dense", name: "h2", units: 4, from: "h1", activation: { name: "relu" }, init: { name: "he" } },
        { kind: "dense", name: "side", units: 2, from: "h1", activation: { name: "sigmoid" }, init: { name: "xavier" } },
        { kind: "add", name: "res", units: 4, from: ["h1", "h2"] },
        { kind: "dense", name: "dead", units: 2, from: "res", activation: { name: "elu", alpha: 1 }, init: { name: "xavier" } },
        { kind: "concat", name: "both", units: 6, from: ["res", "side"] },
        { kind: "dense", name: "out", units: 3, from: "both", activation: { name: "softmax" }, init: { name: "xavier" } },
      ],
      loss: "cross_entropy",
    };
    const random = new Random(42);
    expect(checkNetwork(spec, random)).toBe(7);
    const h1 = networkDeltas(spec).find((layer) => layer.layer === "h1")!;
    expect(h1.paths).toBe(3);
  });

  it("BP3 and BP4 trees equal central differences of the loss (backprop §6.5), dropout masks held fixed", () => {
    const smooth: ActivationSpec[] = [{ name: "tanh" }, { name: "sigmoid" }, { name: "softplus" }, { name: "gelu" }, { name: "silu" }, { name: "identity" }];
    const pairs: OutputPair[] = [
      { activation: { name: "identity" }, loss: "mse", partialRange: false },
      { activation: { name: "softmax" }, loss: "cross_entropy", partialRange: false },
      { activation: { name: "sigmoid" }, loss: "binary_cross_entropy", partialRange: false },
    ];
    const random = new Random(2024);
    const h = 1e-6;
    let entries = 0;
    for (const pair of pairs) {
      for (let trial = 0; trial < 6; trial++) {
        const spec = randomNetwork(random, pair, random.int(2, 5), { activations: smooth, dropout: 0.3 });
        const pass = run(spec, random, 4);
        // every tree's value first: a perturbed forward pass overwrites the caches it reads
        const trees = networkDeltas(spec).flatMap((layer) => (layer.bp3 && layer.bp4 ? [{
          layer: layer.layer, db: value(layer.bp3.batched, pass), dW: value(layer.bp4.batched, pass),
        }] : []));
        for (const tree of trees) {
          for (const [param, matrix] of [["W", tree.dW], ["b", tree.db]] as const) {
            for (let sample = 0; sample < 3; sample++) {
              const index = random.int(0, matrix.data.length - 1);
              const numeric = (pass.lossWith(tree.layer, param, index, h) - pass.lossWith(tree.layer, param, index, -h)) / (2 * h);
              const analytic = matrix.data[index]!;
              const relative = Math.abs(numeric - analytic) / Math.max(1e-8, Math.abs(numeric) + Math.abs(analytic));
              expect(relative, `∂C/∂${param} of ${tree.layer}[${index}] in ${JSON.stringify(spec.layers)}`).toBeLessThan(1e-5);
              entries++;
            }
          }
        }
      }
    }
    expect(entries).toBeGreaterThan(60);
  });
});
