import { describe, expect, it } from "vitest";
import { gradcheck, GradcheckStopped, type ActivationSpec, type GradcheckProgress, type LossName, type NetworkSpec } from "../../server/src/engine/index";
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
