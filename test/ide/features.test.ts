/** Diagnostics, outline, tokens, inlay hints, lenses, runs and robustness of the IDE layer. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as ide from "../../server/src/language/ide/index";
import type { RunRecord } from "../../server/src/language/ide/index";

const spiral = `// two spirals
network spiral {
  input x: 2
  layer h1: dense 16 tanh
  layer h2: dense 16 tanh
  layer out: dense 1 sigmoid
  loss binary_cross_entropy
  data spiral(samples: 400, noise: 0.1)
  train {
    epochs 300
    batch 16
  }
}
`;
const open = (text: string, version = 1) => ide.analyzeDocument({ uri: "file:///t.nnet", version, text });
const word = (text: string, span: ide.Span) => text.slice(span.start, span.end);

function run(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    network: "spiral", kind: "train", status: "completed", version: 1, epoch: 300, epochs: 300, loss: 0.05, losses: [0.69, 0.2, 0.05],
    layers: [
      { layer: "h1", gradNorm: 2e-6, meanAbsDelta: 1e-7 },
      { layer: "h2", gradNorm: 3e-4, meanAbsDelta: 2e-5 },
      { layer: "out", gradNorm: 0.2, meanAbsDelta: 0.1 },
    ],
    ...overrides,
  };
}

describe("diagnostics", () => {
  it("keeps the checker's codes, ranges and related information", () => {
    const text = spiral.replace("from", "").replace("layer h2: dense 16 tanh", "layer h2: dense 16 tanh from h9");
    const found = ide.diagnostics(open(text));
    const unknown = found.find((d) => d.code === "nnet/unknown-layer")!;
    expect(word(text, unknown.span)).toBe("h9");
    expect(unknown.severity).toBe("error");
  });

  it("greys out a layer that does not reach the output", () => {
    const text = spiral.replace("layer out: dense 1 sigmoid", "layer dead: dense 3 relu from h1\n  layer out: dense 1 sigmoid from h2");
    const unreachable = ide.diagnostics(open(text)).find((d) => d.code === "nnet/unreachable-layer");
    expect(unreachable?.tags).toEqual(["unnecessary"]);
  });

  it("reports the last run's vanishing gradients and gradient-check failures on their layers, only for the version they ran on", () => {
    const failing = run({ gradcheck: { tolerance: 1e-5, passed: false, rows: [{ layer: "h2", param: "W", maxRelError: 0.3, passed: false, kinks: 0, checked: 256, total: 256 }] } });
    const runs = new Map([["spiral", failing]]);
    const found = ide.diagnostics(open(spiral, 1), runs);
    const vanishing = found.find((d) => d.code === "nnet/vanishing-gradients-observed")!;
    expect(vanishing.severity).toBe("information");
    expect(word(spiral, vanishing.span)).toBe("h1");
    expect(vanishing.message).toMatch(/5\.0 orders of magnitude/);
    const check = found.find((d) => d.code === "nnet/gradcheck-failed")!;
    expect(word(spiral, check.span)).toBe("h2");
    expect(ide.diagnostics(open(spiral, 2), runs).filter((d) => d.code.startsWith("nnet/gradcheck") || d.code.endsWith("observed"))).toEqual([]);
  });
});

describe("hover after a run", () => {
  it("shows ‖∂C/∂W‖ and mean |δ| of the layer and the vanishing note", () => {
    const markdown = ide.hover(open(spiral), spiral.indexOf("h1:"), new Map([["spiral", run()]]))!.markdown;
    expect(markdown).toContain("‖∂C/∂Wʰ¹‖ = 2.00e-6");
    expect(markdown).toContain("mean |δʰ¹| = 1.00e-7");
    expect(markdown).toMatch(/vanishing gradients/);
    expect(markdown).toContain("last train, completed, epoch 300 of 300, C = 0.69 → 0.05");
    const network = ide.hover(open(spiral), spiral.indexOf("spiral {"), new Map([["spiral", run()]]))!.markdown;
    expect(network).toContain("‖∂C/∂Wᵒᵘᵗ‖ = 0.2");
  });

  it("puts the run's figures, the forward pass, δ and the shapes first, and the rest below a rule", () => {
    const markdown = ide.hover(open(spiral), spiral.indexOf("h1:"), new Map([["spiral", run()]]))!.markdown;
    const at = ["**Last run**", "**Forward**", "**Backward: BP2**", "**Shapes**", "\n---\n", "**Gradients**", "**Unrolled**"].map((title) => markdown.indexOf(title));
    expect(at.every((position) => position >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});

describe("network totals", () => {
  it("counts parameters, multiply-adds and cached values from the spec", () => {
    const spec = ide.specOf(open(spiral).analysis.model.networks[0]!)!;
    const costs = ide.networkCosts(spec);
    expect(costs.parameters).toBe(16 * 2 + 16 + 16 * 16 + 16 + 16 + 1);
    expect(costs.forwardMultiplyAdds).toBe(32 + 256 + 16);
    expect(costs.backwardMultiplyAdds).toBe(32 + 2 * 256 + 2 * 16);
    expect(costs.cachedValuesPerExample).toBe(2 * (16 + 16 + 1));
    expect(costs.edges).toBe(3);
  });
});

describe("outline, folding, tokens, hints and lenses", () => {
  const document = open(spiral);

  it("lists networks with their entries", () => {
    const [network] = ide.documentSymbols(document);
    expect(network!.name).toBe("spiral");
    expect(network!.children.map((child) => `${child.kind}:${child.name}`)).toEqual(
      ["input:x", "layer:h1", "layer:h2", "layer:out", "loss:binary_cross_entropy", "data:spiral", "train:train"]);
    expect(network!.children[1]!.detail).toBe("dense 16 tanh · 48 params");
  });

  it("folds the network body and the train block", () => {
    const folded = ide.foldingRanges(document).map((range) => word(spiral, range.span).split("\n")[0]);
    expect(folded).toEqual(["{", "train {"]);
  });

  it("classifies names, keywords and numbers", () => {
    const tokens = ide.semanticTokens(document).map((token) => `${word(spiral, token.span)}:${token.type}`);
    expect(tokens).toEqual(expect.arrayContaining(["network:keyword", "spiral:network", "h1:layer", "tanh:activation", "binary_cross_entropy:loss", "16:number", "epochs:property", "dense:keyword"]));
    expect(tokens.filter((token) => token.startsWith("two"))).toEqual([]);
  });

  it("hints each dense layer's parameters, or after a run its gradient norm, and says both in the tooltip", () => {
    const all = { start: 0, end: spiral.length };
    expect(ide.inlayHints(document, all).map((hint) => hint.label)).toEqual(["48 params", "272 params", "17 params"]);
    const withRun = ide.inlayHints(document, all, new Map([["spiral", run()]]));
    // after a run the gradient takes the count's place, so the hint stays short; the tooltip keeps both
    expect(withRun[2]!.label).toBe("∇ 0.2");
    expect(withRun[2]!.tooltip).toContain("output: 1 units · 17 params");
    expect(withRun[2]!.tooltip).toContain("‖∂C/∂W‖ = 0.2");
  });

  it("says a layer's parameter count is unknown while its input size is", () => {
    const text = "network n {\n  input x: bogus\n  layer h: dense 4 tanh\n  layer out: dense 1 sigmoid\n  loss bce\n  data xor\n}\n";
    const hints = ide.inlayHints(open(text), { start: 0, end: text.length });
    expect(hints.map((hint) => hint.label)).toEqual(["? params", "5 params"]);
    expect(hints[0]!.tooltip).toContain("unknown until the size of the layer's input is known");
  });

  it("gives the size of a layer whose text does not say it: add, concat, dropout", () => {
    const text = "network n {\n  input x: 3\n  layer h: dense 3 tanh\n  layer both: concat(h, x)\n  layer sum: add(h, x)\n  layer out: dense 1 sigmoid from both\n  loss bce\n  data xor\n}\n";
    const hints = ide.inlayHints(open(text), { start: 0, end: text.length });
    expect(hints.map((hint) => hint.label)).toEqual(["12 params", "→ 6", "→ 3", "7 params"]);
    expect(hints[1]!.tooltip).toBe("output: 6 units · no parameters");
  });

  it("puts Train, Gradient check, Summary and Step through above each network", () => {
    const lenses = ide.codeLenses(document);
    expect(lenses.map((lens) => `${lens.title}=${lens.command}`)).toEqual(["▶ Train=nnet.train", "✓ Gradient check=nnet.gradcheck", "Σ Summary=nnet.summary", "⏯ Step through=nnet.debug"]);
    expect(lenses[0]!.arguments).toEqual([{ uri: "file:///t.nnet", network: "spiral" }]);
  });
});

describe("every request answers on any text (invariant 1)", () => {
  const pieces = ["network n {", "}", "input x: 2", "layer h: dense 4 relu", "layer a: add(h, x)", "layer c: concat(h, h)", "loss mse",
    "loss cross_entropy", "layer o: dense 3 softmax", "data iris", "train { optimizer adam(lr: 0.1) }", "from", "(", ")", ":", "\n", "tahn", "-1", "0"];
  it("hover, completion, rename, references, symbols, tokens, hints and formatting never throw", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), fc.nat(), (parts, cursor) => {
      const text = parts.join(" ");
      const document = open(text);
      const offset = text.length === 0 ? 0 : cursor % (text.length + 1);
      ide.hover(document, offset);
      ide.completion(document, offset);
      ide.rename(document, offset, "renamed");
      ide.references(document, offset, true);
      ide.definition(document, offset);
      ide.documentSymbols(document);
      ide.semanticTokens(document);
      ide.inlayHints(document, { start: 0, end: text.length });
      ide.codeActions(document, { start: offset, end: offset });
      ide.format(document);
      ide.diagnostics(document);
    }), { numRuns: 300, seed: 3 });
  });
});

describe("a 1,000-layer file", () => {
  const lines = ["network deep {", "  input x: 4"];
  for (let i = 1; i < 1000; i++) lines.push(i % 10 === 0 ? `  layer h${i}: add(h${i - 1}, h${i - 2})` : `  layer h${i}: dense 8 tanh`);
  lines.push("  layer out: dense 3 softmax", "  loss cross_entropy", "  data iris", "}", "");
  const text = lines.join("\n");

  // the times of these answers are measured by `npm run bench:language` (bench/budgets.ts)
  it("answers every feature on it", () => {
    const document = open(text);
    expect(ide.hover(document, text.indexOf("deep"))?.markdown).toContain("deep");
    expect(ide.completion(document, text.indexOf("dense 8 tanh", text.length / 2) + 9).items.length).toBeGreaterThan(0);
    expect(ide.semanticTokens(document).length).toBeGreaterThan(3000);
    expect(ide.inlayHints(document, { start: 0, end: text.length }).length).toBeGreaterThan(900);
    expect(ide.documentSymbols(document)[0]?.children?.length).toBe(1003);
    expect(ide.references(document, text.indexOf("h508:"), true).length).toBe(2);
    expect(Array.isArray(ide.format(document))).toBe(true);
    const h1 = ide.hover(document, text.indexOf("h1:"))!.markdown;
    expect(h1).toMatch(/the sum over its ≈ 6\.3 × 10²⁹ paths to the output/);
    expect(h1).toContain("more paths");
  });
});
