import { describe, expect, it } from "vitest";
import {
  applyStandardiser, computeGradients, createNetwork, datasetFromSpec, decisionGrid, fitStandardiser,
  irisDataset, lastCaches, prepareData, splitDataset, type GeneratorName,
} from "../../server/src/engine/index";
import { batchFor, build, dagSpec } from "./helpers";

describe("iris", () => {
  const iris = irisDataset();
  const n = iris.x.rows;
  const at = (m: { cols: number; data: Float64Array }, i: number, f: number): number => m.data[i * m.cols + f];
  const columnSum = (f: number) => Array.from({ length: n }, (_, i) => at(iris.x, i, f)).reduce((s, v) => s + v, 0);
  it("has 150 rows, 50 per class, in one-hot form", () => {
    expect(n).toBe(150);
    for (let c = 0; c < 3; c++) expect(Array.from({ length: n }, (_, i) => at(iris.y, i, c)).reduce((s, v) => s + v, 0)).toBe(50);
    expect(iris.classNames).toEqual(["setosa", "versicolor", "virginica"]);
  });
  it("has the known column sums and means (Fisher's corrected table)", () => {
    expect([0, 1, 2, 3].map((r) => Math.round(columnSum(r) * 10) / 10)).toEqual([876.5, 458.6, 563.7, 179.9]);
    expect([0, 1, 2, 3].map((r) => Number((columnSum(r) / n).toFixed(3)))).toEqual([5.843, 3.057, 3.758, 1.199]);
  });
  it("has the known per-class means of petal length", () => {
    const means = [0, 1, 2].map((c) => {
      let sum = 0;
      for (let i = 0; i < n; i++) if (at(iris.y, i, c) === 1) sum += at(iris.x, i, 2);
      return Number((sum / 50).toFixed(3));
    });
    expect(means).toEqual([1.462, 4.26, 5.552]);
  });
});

describe("generators", () => {
  const cases: [GeneratorName, number, number][] = [["xor", 2, 1], ["circles", 2, 1], ["moons", 2, 1], ["spiral", 2, 1], ["gaussian", 2, 1], ["sine", 1, 1]];
  for (const [name, features, targets] of cases) {
    it(`${name}: shape, seeded, finite`, () => {
      const spec = { kind: "generator" as const, name, samples: 40, noise: 0.1, classes: 2 };
      const a = datasetFromSpec(spec, 5);
      expect([a.x.cols, a.y.cols, a.x.rows]).toEqual([features, targets, 40]);
      expect(datasetFromSpec(spec, 5)).toEqual(a);
      expect(a.x.data.every(Number.isFinite)).toBe(true);
      if (name !== "sine") expect(new Set(a.y.data)).toEqual(new Set([0, 1]));
    });
  }
  it("xor without noise is the four corners", () => {
    const d = datasetFromSpec({ kind: "generator", name: "xor", samples: 4, noise: 0, classes: 2 }, 1);
    expect(Array.from(d.x.data)).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect(Array.from(d.y.data)).toEqual([0, 1, 1, 0]);
  });
  it("spiral with 3 classes is one-hot", () => {
    const d = datasetFromSpec({ kind: "generator", name: "spiral", samples: 30, noise: 0, classes: 3 }, 1);
    expect(d.y.cols).toBe(3);
    expect(d.classes).toBe(3);
  });
});

describe("split and standardisation", () => {
  it("splits reproducibly and fits the standardiser on the training part only", () => {
    const iris = irisDataset();
    const { train, validation } = splitDataset(iris, 0.2, 4);
    expect([train.x.rows, validation!.x.rows]).toEqual([120, 30]);
    expect(splitDataset(iris, 0.2, 4).validation).toEqual(validation);
    const prepared = prepareData(iris, { validation: 0.2, seed: 4, standardise: true });
    const s = fitStandardiser(train);
    expect(prepared.validation).toEqual(applyStandardiser(validation!, s));
    const m = prepared.train.x.rows;
    const mean = Array.from({ length: m }, (_, i) => prepared.train.x.data[i * 4]).reduce((p, v) => p + v, 0) / m;
    expect(Math.abs(mean)).toBeLessThan(1e-12);
    expect(() => splitDataset(iris, 1, 1)).toThrow(/outside \[0, 1\)/);
  });
});

describe("what the IDE layer reads", () => {
  it("backward plan: h1 has three successors, each with its contribution", () => {
    const net = build(dagSpec({ name: "tanh" }, { name: "softmax" }, "cross_entropy", 3));
    const nodes = new Map(net.plan.nodes.map((node) => [node.name, node]));
    const name = (index: number) => net.plan.nodes[index]!.name;
    expect(net.plan.nodes.at(-1)).toMatchObject({ name: "out", reachesOutput: true, paths: 1 });
    expect(nodes.get("h1")!.backward.map((e) => [name(e.successor), e.contribution, e.start, e.end, e.overwrite])).toEqual([
      ["cat", "row-slice", 4, 9, true], ["h3", "transposed-weights", 0, 5, false], ["h2", "transposed-weights", 0, 5, false],
    ]);
    expect(nodes.get("sum")!.backward).toEqual([
      { successor: nodes.get("cat")!.index, contribution: "row-slice", start: 0, end: 4, overwrite: true },
    ]);
  });

  it("cached Z, A and Δ satisfy BP2 as the plan states it", () => {
    const net = build(dagSpec({ name: "sigmoid" }, { name: "identity" }, "mse", 2));
    const { x, y } = batchFor(net, 3, 1);
    computeGradients(net, x, y);
    const caches = lastCaches(net);
    const byName = new Map(caches.map((c) => [c.name, c]));
    const W2 = net.dense.find((d) => d.name === "h2")!.weights;
    const W3 = net.dense.find((d) => d.name === "h3")!.weights;
    const h1 = byName.get("h1")!, h2 = byName.get("h2")!, h3 = byName.get("h3")!, cat = byName.get("cat")!;
    const m = 3;
    for (let j = 0; j < 5; j++) {
      for (let c = 0; c < m; c++) {
        let sum = cat.delta!.data[(4 + j) * m + c];
        for (let i = 0; i < 4; i++) sum += W2.data[i * 5 + j] * h2.delta!.data[i * m + c] + W3.data[i * 5 + j] * h3.delta!.data[i * m + c];
        const a = h1.a.data[j * m + c];
        expect(h1.delta!.data[j * m + c]).toBeCloseTo(sum * a * (1 - a), 14);
      }
    }
  });

  it("pass costs count the engine's own multiply-adds and caches", () => {
    const net = build(dagSpec({ name: "tanh" }, { name: "softmax" }, "cross_entropy", 3));
    // h1 3→5, h2 5→4, h3 5→4, out 9→3
    expect(net.plan.costs).toEqual({
      parameters: 15 + 5 + 20 + 4 + 20 + 4 + 27 + 3,
      nodes: 7,
      edges: 8,
      outputs: 3,
      forwardMultiplyAdds: 15 + 20 + 20 + 27,
      backwardMultiplyAdds: 15 + 2 * 20 + 2 * 20 + 2 * 27,
      cachedValuesPerExample: 2 * (5 + 4 + 4 + 3) + 4 + 9,
      forwardModePasses: (15 + 5 + 20 + 4 + 20 + 4 + 27 + 3) * 3,
    });
  });

  it("decision grid over the data's bounding box", () => {
    const net = createNetwork({
      name: "g", input: { name: "x", units: 2 }, loss: "binary_cross_entropy",
      layers: [{ kind: "dense", name: "out", units: 1, from: "x", activation: { name: "sigmoid" }, init: { name: "xavier" } }],
    });
    const data = datasetFromSpec({ kind: "generator", name: "moons", samples: 50, noise: 0.1, classes: 2 }, 1);
    const grid = decisionGrid(net, data, 10);
    expect(grid.values).toHaveLength(100);
    expect(grid.points).toHaveLength(50);
    expect(grid.values.every((v) => v > 0 && v < 1)).toBe(true);
    expect(grid.xMin).toBeLessThan(Math.min(...grid.points.map((p) => p.x)));
  });
});
