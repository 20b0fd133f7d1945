import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze, defaultTrainSpec, type Diagnostic } from "../../server/src/language/index";
import { examplesDir, memoryFiles } from "./helpers";

const files = memoryFiles(examplesDir);
const example = (name: string) => analyze(readFileSync(`${examplesDir}/${name}`, "utf8"), { path: `${examplesDir}/${name}`, files });

/** Applies a diagnostic's first fix to the text. */
function applyFix(text: string, diagnostic: Diagnostic): string {
  const edits = [...diagnostic.fixes![0].edits].sort((a, b) => b.span.start - a.span.start);
  return edits.reduce((result, edit) => result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end), text);
}

describe("shapes and graph", () => {
  it("infers units, parameters, successors and reachability of the residual example", () => {
    const [network] = example("residual.nnet").model.networks;
    const byName = Object.fromEntries(network.layers.map((layer) => [layer.name, layer]));
    expect(network.layers.map((layer) => [layer.name, layer.units, layer.params])).toEqual([
      ["h1", 16, 2 * 16 + 16], ["h2", 16, 16 * 16 + 16], ["h3", 16, 272], ["skip", 16, 0], ["wide", 18, 0], ["out", 1, 18 + 1],
    ]);
    expect(byName.h1.successors).toEqual(["h2", "skip"]);
    expect(byName.skip.successors).toEqual(["wide"]);
    expect(network.layers.every((layer) => layer.reachesOutput)).toBe(true);
    expect(network.totalParams).toBe(611);
    expect(network.output?.name).toBe("out");
    expect(network.layerByName.get("wide")?.entry.name?.text).toBe("wide");
  });

  it("compiles a checked network to the engine's specs with defaults", () => {
    const [network] = example("residual.nnet").model.networks;
    expect(network.spec).toEqual({
      name: "residual",
      input: { name: "x", units: 2 },
      layers: [
        { kind: "dense", name: "h1", units: 16, from: "x", activation: { name: "relu" }, init: { name: "he" } },
        { kind: "dense", name: "h2", units: 16, from: "h1", activation: { name: "relu" }, init: { name: "he" } },
        { kind: "dense", name: "h3", units: 16, from: "h2", activation: { name: "relu" }, init: { name: "he" } },
        { kind: "add", name: "skip", units: 16, from: ["h1", "h3"] },
        { kind: "concat", name: "wide", units: 18, from: ["skip", "x"] },
        { kind: "dense", name: "out", units: 1, from: "wide", activation: { name: "sigmoid" }, init: { name: "xavier" } },
      ],
      loss: "binary_cross_entropy",
    });
    expect(network.train).toEqual({
      optimizer: { name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      epochs: 200, batch: 32, validation: 0.2, seed: 11, shuffle: true, l2: 0, l1: 0,
    });
    expect(network.data?.spec).toEqual({ kind: "generator", name: "moons", samples: 400, noise: 0.1, classes: 2 });
  });

  it("uses the documented defaults when train and gradcheck are absent", () => {
    const [network] = analyze("network n {\n input x: 2\n layer o: dense 1 sigmoid\n loss bce\n data xor\n}").model.networks;
    expect(network.train).toEqual(defaultTrainSpec);
    expect(network.gradcheck).toEqual({ epsilon: 1e-7, tolerance: 1e-5, samples: 4, maxParams: 2000 });
    expect(network.loss).toBe("binary_cross_entropy");
  });

  it("reads aliases, activation and init arguments", () => {
    const text = "network n {\n input x: 2\n layer h: dense 4 leaky_relu(alpha: 0.2) init normal(std: 0.3)\n layer e: dense 4 elu\n layer o: dense 1 linear init uniform(limit: 0.5)\n loss mse\n}";
    const [network] = analyze(text).model.networks;
    expect(network.spec?.layers).toEqual([
      { kind: "dense", name: "h", units: 4, from: "x", activation: { name: "leaky_relu", alpha: 0.2 }, init: { name: "normal", std: 0.3 } },
      { kind: "dense", name: "e", units: 4, from: "h", activation: { name: "elu", alpha: 1 }, init: { name: "he" } },
      { kind: "dense", name: "o", units: 1, from: "e", activation: { name: "identity" }, init: { name: "uniform", limit: 0.5 } },
    ]);
  });

  it("knows the data shapes of every source", () => {
    const shape = (source: string, input = 2, output = 1) => {
      const [network] = analyze(`network n {\n input x: ${input}\n layer o: dense ${output} sigmoid\n loss mse\n data ${source}\n}`).model.networks;
      return [network.data?.features, network.data?.targets, network.data?.rows];
    };
    expect(shape("xor")).toEqual([2, 1, 200]);
    expect(shape("circles(samples: 50)")).toEqual([2, 1, 50]);
    expect(shape("spiral(classes: 3)")).toEqual([2, 3, 200]);
    expect(shape("spiral(classes: 2)")).toEqual([2, 1, 200]);
    expect(shape("sine")).toEqual([1, 1, 200]);
    expect(shape("iris")).toEqual([4, 3, 150]);
    expect(shape("{ 1 2 3 -> 0 1 ; 4 5 6 -> 1 0 }")).toEqual([3, 2, 2]);
  });

  it("reads a CSV's shape: text targets are one-hot over their labels", () => {
    const [network] = example("csv.nnet").model.networks;
    expect([network.data?.features, network.data?.targets, network.data?.rows]).toEqual([2, 3, 60]);
    expect(network.data?.labels).toEqual(["apple", "banana", "cherry"]);
    expect(network.data?.spec).toEqual({ kind: "csv", path: `${examplesDir}/data/fruit.csv`, target: "fruit" });
  });
});

describe("quick fixes", () => {
  const fixOf = (text: string, code: string, options = {}) => {
    const diagnostic = analyze(text, options).diagnostics.find((d) => d.code === code);
    expect(diagnostic?.fixes?.length, `${code} has a fix`).toBeGreaterThan(0);
    return applyFix(text, diagnostic!);
  };
  const clean = (text: string) => analyze(text).diagnostics.filter((d) => d.severity === "error" || d.severity === "warning");

  it("replaces a misspelt name with the suggestion", () => {
    const fixed = fixOf("network n {\n input x: 2\n layer h: dense 4 tahn\n layer o: dense 1 sigmoid\n loss bce\n data xor\n}", "nnet/unknown-activation");
    expect(fixed).toContain("dense 4 tanh");
    expect(clean(fixed)).toEqual([]);
  });

  it("sets the output units to the number of classes", () => {
    const fixed = fixOf("network n {\n input x: 4\n layer o: dense 2 softmax\n loss cross_entropy\n data iris\n}", "nnet/data-targets-mismatch");
    expect(fixed).toContain("dense 3 softmax");
    expect(clean(fixed)).toEqual([]);
  });

  it("switches mse on a softmax output to cross_entropy", () => {
    const fixed = fixOf("network n {\n input x: 4\n layer o: dense 3 softmax\n loss mse\n data iris\n}", "nnet/mse-on-saturating-output");
    expect(fixed).toContain("loss cross_entropy");
    expect(clean(fixed)).toEqual([]);
  });

  it("inserts a data entry that fits the network", () => {
    const text = "network n {\n  input x: 4\n  layer o: dense 3 softmax\n  loss cross_entropy\n}";
    const fixed = fixOf(text, "nnet/missing-data", { forTraining: true });
    expect(fixed).toBe("network n {\n  input x: 4\n  layer o: dense 3 softmax\n  loss cross_entropy\n  data iris\n}");
    expect(analyze(fixed, { forTraining: true }).diagnostics).toEqual([]);
  });

  it("gives softmax to a cross_entropy output", () => {
    const fixed = fixOf("network n {\n input x: 4\n layer o: dense 3\n loss cross_entropy\n data iris\n}", "nnet/cross-entropy-needs-softmax");
    expect(fixed).toContain("dense 3 softmax");
    expect(clean(fixed)).toEqual([]);
  });
});

describe("diagnostic details", () => {
  it("points a dimension mismatch at the odd operand, with the other as related", () => {
    const text = "network n {\n input x: 2\n layer a: dense 8\n layer b: dense 4\n layer s: add(a, b)\n loss mse\n}";
    const d = analyze(text).diagnostics.find((item) => item.code === "nnet/dimension-mismatch")!;
    expect(text.slice(d.span.start, d.span.end)).toBe("b");
    expect(d.related?.map((r) => text.slice(r.span.start, r.span.end))).toEqual(["a"]);
  });

  it("marks a network with errors as uncompiled and leaves the others compiled", () => {
    const text = "network bad {\n input x: 2\n layer o: dense 1 tahn\n loss mse\n}\nnetwork good {\n input x: 2\n layer o: dense 1\n loss mse\n}";
    const [bad, good] = analyze(text).model.networks;
    expect([bad.hasErrors, bad.spec]).toEqual([true, undefined]);
    expect([good.hasErrors, good.spec?.name]).toEqual([false, "good"]);
  });

  it("makes a missing data entry an error only for training", () => {
    const text = "network n {\n input x: 2\n layer o: dense 1\n loss mse\n}";
    expect(analyze(text).diagnostics.map((d) => [d.code, d.severity])).toEqual([["nnet/missing-data", "hint"]]);
    expect(analyze(text, { forTraining: true }).diagnostics.map((d) => [d.code, d.severity])).toEqual([["nnet/missing-data", "error"]]);
  });

  it("does not warn about vanishing gradients for two tanh layers or a residual path", () => {
    const codes = (text: string) => analyze(text).diagnostics.map((d) => d.code);
    expect(codes(readFileSync(`${examplesDir}/sine.nnet`, "utf8"))).not.toContain("nnet/vanishing-gradients");
    const deep = (skip: boolean) => `network n {\n input x: 2\n${[1, 2, 3, 4, 5, 6].map((i) => ` layer h${i}: dense 8 tanh\n`).join("")}${skip ? " layer s: add(h2, h6)\n" : ""} layer o: dense 1 sigmoid\n loss bce\n data xor\n}`;
    expect(codes(deep(false))).toContain("nnet/vanishing-gradients");
    expect(codes(deep(true))).not.toContain("nnet/vanishing-gradients");
  });
});
