/** Parsing and checking never throw, whatever the text (ARCHITECTURE invariant 1). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, LineIndex, parse } from "../../server/src/language/index";
import { memoryFiles, examplesDir } from "./helpers";

const words = [
  "network", "input", "layer", "dense", "add", "concat", "from", "init", "loss", "data", "train", "gradcheck", "full", "true", "false",
  "x", "h1", "h2", "out", "tanh", "relu", "softmax", "sigmoid", "mse", "cross_entropy", "bce", "adam", "sgd", "lr", "epochs", "batch",
  "validation", "spiral", "iris", "csv", "xor", "samples", "noise", "target", "classes", "he", "normal", "std", "leaky_relu", "alpha",
  "16", "1", "0", "-0.5", "1e-7", "2.5E+3", '"data/fruit.csv"', '"fruit"', '"unterminated', "->", ";", ",", ":", "(", ")", "{", "}",
  "\n", " ", "// note\n", "/* block */", "/*", "#", "\r\n", "\u00e9",
];

const tokenText = fc.array(fc.constantFrom(...words), { maxLength: 80 }).map((parts) => parts.join(" "));
const files = memoryFiles(examplesDir);

function mustNotThrow(text: string): void {
  const parsed = parse(text);
  const analysis = analyze(text, { path: `${examplesDir}/fuzz.nnet`, files });
  for (const d of [...parsed.errors, ...analysis.diagnostics]) {
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
  }
  expect(analysis.diagnostics.some((d) => d.code === "nnet/internal")).toBe(false);
  const lines = new LineIndex(text);
  expect(lines.offset(lines.position(text.length))).toBe(text.length);
}

describe("properties", () => {
  it("random token sequences parse and check without throwing", () => {
    fc.assert(fc.property(tokenText, (text) => mustNotThrow(text)), { numRuns: 600 });
  });

  it("random strings parse and check without throwing", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: "binary" }), (text) => mustNotThrow(text)), { numRuns: 600 });
  });

  it("networks built from valid pieces check without syntax errors", () => {
    const layer = fc.tuple(fc.integer({ min: 1, max: 64 }), fc.constantFrom("tanh", "relu", "sigmoid", "identity"));
    const network = fc.array(layer, { minLength: 1, maxLength: 12 }).map((layers) =>
      ["network n {", "  input x: 2", ...layers.map(([units, act], i) => `  layer l${i}: dense ${units} ${act}`), "  loss mse", "}"].join("\n"));
    fc.assert(fc.property(network, (text) => {
      const analysis = analyze(text);
      expect(analysis.diagnostics.filter((d) => d.code === "nnet/syntax")).toEqual([]);
      expect(analysis.model.networks[0].layers.length).toBeGreaterThan(0);
    }), { numRuns: 200 });
  });
});
