/**
 * The smallest inputs that broke the tooling when the fuzzer first met them,
 * kept so they stay fixed. Each names the operation and what went wrong.
 * The ones that were slow are checked for their answer here; their times are
 * measured by `npm run bench:language` (bench/budgets.ts), not asserted.
 */
import { describe, expect, it } from "vitest";
import * as ide from "../../server/src/language/ide/index";
import { exercise } from "./exercise";

const documentOf = (text: string): ide.IdeDocument => ide.analyzeDocument({ uri: "file:///regression.nnet", version: 1, text });

const small = "network n {\n  input x: 2\n  layer h: dense 3 tanh\n  layer out: dense 1 sigmoid\n  loss bce\n  data xor\n}\n";

describe("fuzz regressions", () => {
  it("format: 10,000 nested { } (20 KB) formats, and formats again to the same text (was 1.3 s, O(n²))", () => {
    const text = `network n {\n  input x: 2\n  ${"{".repeat(10_000)}${"}".repeat(10_000)}\n}\n`;
    const formatted = ide.formatText(text);
    expect(formatted.replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
    expect(ide.formatText(formatted)).toBe(formatted);
  });

  it("format: 10,000 unclosed { do not indent 10,000 levels (was 100 MB of output in 2 s)", () => {
    const text = `network n {${"{".repeat(10_000)}`;
    const formatted = ide.formatText(text);
    expect(formatted.length, "linear: at most 16 levels of indent per line").toBeLessThan(40 * text.length);
    expect(ide.formatText(formatted)).toBe(formatted);
  });

  it("format: a 1 MB inline row is left as it is (was 160 s: the line was trimmed once per token)", () => {
    const row = `network n {\n  input x: 2\n  data { ${"1 ".repeat(1 << 19)}-> 1 }\n}\n`;
    expect(ide.formatText(row)).toBe(row);
  });

  it("hover: a layer named like the input does not make the hover's network cyclic (was an endless loop, out of memory)", () => {
    // h1 reads the input h2; the layer h2 reads h1: compiled by name, h1 ← h2 ← h1 is a cycle
    const text = "network n {\n  input h2: 2\n  layer h1: dense 4 relu from h2\n  layer h2: dense 8 from h1\n  layer out: dense 1 sigmoid\n  loss bce\n}\n";
    const document = documentOf(text);
    for (const word of ["n {", "h1:", "h2: dense", "out:"]) {
      const found = ide.hover(document, text.indexOf(word));
      expect(found?.markdown ?? "").not.toContain("undefined");
    }
    expect(exercise(text, new Map()).problems).toEqual([]);
  });

  it("hover: a layer cut short by a following 'network' is not compiled into the spec (was a throw in every layer hover)", () => {
    // the syntax error sits on 'network', just past the first network's span, so that network looked error-free
    for (const text of [
      "network x { input x: 1, loss mse, layer h1: dense 1 identity, layer h2: network 1 identity, layer out: dense 1 identity\n}",
      // the units cut off: the hover read "dense undefined identity", W ∈ ℝ^(undefined×1)
      "network x { input a: 2, loss bce, data xor, layer h1: dense 64 identity from a, layer out: dense network sigmoid\n}",
    ]) {
      const document = documentOf(text);
      expect(document.analysis.model.networks[0]!.spec).toBeUndefined();
      expect(document.analysis.model.networks[0]!.hasErrors).toBe(true);
      expect(exercise(text, new Map()).problems).toEqual([]);
    }
  });

  it("completion after a 60,000-character name answers (was 1.1 s, quadratic in the line length)", () => {
    const text = small.replace("layer h:", `layer ${"h".repeat(60_000)}:`);
    const document = documentOf(text);
    for (const at of [text.indexOf("hhhh") + 30_000, text.indexOf(": dense") + 2]) expect(Array.isArray(ide.completion(document, at).items)).toBe(true);
  });

  it("completion reads lines ended by CR alone like any other line", () => {
    const lf = "network n {\n  input x: 2\n  layer h: \n  \n}\n";
    const labels = (text: string, at: number): string[] => ide.completion(documentOf(text), at).items.map((item) => item.label);
    for (const at of [lf.indexOf("h: ") + 3, lf.lastIndexOf("  \n}")]) {
      expect(labels(lf, at).length).toBeGreaterThan(0);
      expect(labels(lf.replace(/\n/g, "\r"), at)).toEqual(labels(lf, at));
    }
  });

  it("semantic tokens: a setting read as a call (`train h1: … normal(std: 0.1)`) is one token, not a property and a function on the same span", () => {
    const text = "network a {\n  input a: 2\n  train h1: dense 64 from a init normal(std: 0.1)\n  layer out: dense 3 softmax\n  loss cross_entropy\n}";
    const at = text.indexOf("normal");
    expect(ide.semanticTokens(documentOf(text)).filter((token) => token.span.start === at)).toHaveLength(1);
    expect(exercise(text, new Map()).problems).toEqual([]);
  });
});
