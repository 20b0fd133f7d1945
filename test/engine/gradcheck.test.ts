import { describe, expect, it } from "vitest";
import {
  computeGradients, gradcheck, GradcheckStopped, lastCaches, setDropout, type ActivationSpec, type GradcheckProgress, type LossName, type NetworkSpec,
} from "../../server/src/engine/index";
import { batchFor, build, chainSpec, dagSpec, hiddenActivations } from "./helpers";

interface OutputCase {
  output: ActivationSpec;
  loss: LossName;
  units: number;
}

// Fused pairs, mse on every kind of output, and the unfused cross-entropies.
const outputCases: OutputCase[] = [
  { output: { name: "softmax" }, loss: "cross_entropy", units: 3 },
  { output: { name: "sigmoid" }, loss: "binary_cross_entropy", units: 2 },
  { output: { name: "identity" }, loss: "mse", units: 2 },
  { output: { name: "tanh" }, loss: "mse", units: 2 },
  { output: { name: "sigmoid" }, loss: "mse", units: 2 },
  { output: { name: "softmax" }, loss: "mse", units: 3 },
  { output: { name: "softplus" }, loss: "mse", units: 2 },
  { output: { name: "softmax" }, loss: "binary_cross_entropy", units: 3 },
  { output: { name: "sigmoid" }, loss: "cross_entropy", units: 3 },
];

const medians: number[] = [];

function expectPasses(spec: NetworkSpec): void {
  const network = build(spec);
  const { x, y } = batchFor(network, 5, 11);
  const { report } = gradcheck(network, x, y, { epsilon: 1e-7, tolerance: 1e-5 });
  for (const row of report.rows) {
    medians.push(row.medianRelError);
    expect(row.checked, `${spec.name} ${row.layer}.${row.param}`).toBe(row.total);
    expect(row.maxRelErrorAwayFromKinks, `${spec.name} ${row.layer}.${row.param}`).toBeLessThan(1e-5);
  }
  expect(report.passed).toBe(true);
}

describe("gradient check (float64, central differences)", () => {
  for (const hidden of hiddenActivations) {
    for (const c of outputCases) {
      it(`chain ${hidden.name} → ${c.output.name} + ${c.loss}`, () => {
        expectPasses(chainSpec([3, 4, 3, c.units], hidden, c.output, c.loss));
      });
    }
    it(`DAG with add and concat, ${hidden.name}`, () => {
      expectPasses(dagSpec(hidden, { name: "softmax" }, "cross_entropy", 3));
      expectPasses(dagSpec(hidden, { name: "sigmoid" }, "binary_cross_entropy", 1));
      expectPasses(dagSpec(hidden, { name: "identity" }, "mse", 2));
    });
  }

  it("reports a typical (median) relative error far below the tolerance", () => {
    const sorted = [...medians].sort((p, q) => p - q);
    const typical = sorted[sorted.length >> 1];
    console.log(`gradient check: ${medians.length} rows, median of medians ${typical.toExponential(2)}, worst median ${sorted[sorted.length - 1].toExponential(2)}`);
    expect(typical).toBeLessThan(1e-7);
  });
});

describe("gradient check of gelu, silu, selu, mae, huber and dropout", () => {
  const smooth: ActivationSpec[] = [{ name: "gelu" }, { name: "silu" }, { name: "selu" }];
  for (const hidden of smooth) {
    it(`chain and DAG with ${hidden.name}, under mse, huber and mae`, () => {
      expectPasses(chainSpec([3, 4, 3, 2], hidden, { name: "identity" }, "mse"));
      expectPasses({ ...chainSpec([3, 4, 3, 2], hidden, { name: "identity" }, "huber"), huberDelta: 0.5 });
      expectPasses(chainSpec([3, 4, 3, 2], hidden, hidden, "mae"));
      expectPasses(dagSpec(hidden, { name: "softmax" }, "cross_entropy", 3));
    });
  }

  it("flags mae's kink at a = y like relu's, and passes away from it", () => {
    const spec = chainSpec([3, 4, 2], { name: "tanh" }, { name: "identity" }, "mae");
    const network = build(spec);
    const { x } = batchFor(network, 5, 11);
    // targets equal to the outputs put every output exactly on the kink
    const y = { rows: 2, cols: 5, data: new Float64Array(10) };
    computeGradients(network, x, y);
    y.data.set(lastCaches(network).at(-1)!.a.data);
    const { report } = gradcheck(network, x, y);
    const kinks = report.rows.reduce((sum, row) => sum + row.kinks, 0);
    expect(kinks).toBeGreaterThan(0);
    expect(report.passed).toBe(true);
  });

  it("holds dropout masks fixed for both perturbed passes, and fails when they are redrawn", () => {
    const spec: NetworkSpec = {
      name: "drop", input: { name: "x", units: 3 }, loss: "mse",
      layers: [
        { kind: "dense", name: "h", units: 6, from: "x", activation: { name: "gelu" }, init: { name: "normal", std: 0.6 } },
        { kind: "dropout", name: "d", units: 6, from: "h", rate: 0.5 },
        { kind: "dense", name: "out", units: 2, from: "d", activation: { name: "identity" }, init: { name: "normal", std: 0.6 } },
      ],
    };
    const network = build(spec);
    const { x, y } = batchFor(network, 5, 11);
    const { report } = gradcheck(network, x, y);
    expect(report.passed).toBe(true);
    expect(network.dropoutMode).toBe("off");
    // the check used a real mask: some units dropped, so its loss differs from the evaluation-mode loss
    const evaluation = computeGradients(network, x, y);
    expect(report.loss).not.toBe(evaluation);
    // a mask redrawn for every pass is a different network each time: the difference quotient is noise
    setDropout(network, "draw", 3);
    const values = network.dense[0]!.weights.data;
    const eps = 1e-7;
    values[0] += eps;
    const up = computeGradients(network, x, y);
    values[0] -= 2 * eps;
    const down = computeGradients(network, x, y);
    values[0] += eps;
    setDropout(network, "off");
    const analytic = gradcheck(network, x, y).raw[0]!.analytic[0]!;
    expect(Math.abs((up - down) / (2 * eps) - analytic)).toBeGreaterThan(1e-3);
  });
});

describe("gradient check progress and stopping", () => {
  const spec = chainSpec([5, 4, 3], { name: "tanh" }, { name: "softmax" }, "cross_entropy");

  it("reports every layer's W and b from start to end without changing a number", () => {
    const plain = build(spec);
    const batch = batchFor(plain, 4, 3);
    const expected = gradcheck(plain, batch.x, batch.y, { maxParams: 10 });
    const watched = build(spec);
    const seen: GradcheckProgress[] = [];
    const result = gradcheck(watched, batch.x, batch.y, { maxParams: 10, onProgress: (p) => seen.push({ ...p }), shouldStop: () => false });
    expect(result).toEqual(expected);
    const total = expected.report.rows.reduce((sum, row) => sum + row.checked, 0);
    expect(seen[0]).toMatchObject({ checked: 0, done: 0, total });
    expect(seen[seen.length - 1]).toMatchObject({ done: total, total });
    expect(seen.filter((p) => p.checked === 0).map((p) => `${p.layer}.${p.param}`)).toEqual(expected.report.rows.map((r) => `${r.layer}.${r.param}`));
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);
  });

  it("stops between two entries when asked, leaving every parameter as it was", () => {
    const network = build(spec);
    const batch = batchFor(network, 4, 3);
    const before = network.dense.map((layer) => [Array.from(layer.weights.data), Array.from(layer.bias)]);
    let polls = 0;
    let stopped: unknown;
    try {
      gradcheck(network, batch.x, batch.y, { shouldStop: () => ++polls > 7 });
    } catch (error) {
      stopped = error;
    }
    expect(stopped).toBeInstanceOf(GradcheckStopped);
    expect((stopped as GradcheckStopped).progress).toEqual({ done: 7, total: 5 * 4 + 4 + 4 * 3 + 3 });
    expect(network.dense.map((layer) => [Array.from(layer.weights.data), Array.from(layer.bias)])).toEqual(before);
  });
});
