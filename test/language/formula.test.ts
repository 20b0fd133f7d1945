/**
 * The debugger's expressions read into the hover's own trees: the leaves,
 * operators and σ′ nodes the hover builds, the hover's equations by name
 * (bp1…bp4) as the very trees `layerDeltas` returns, rendered in the
 * hover's notation, and clear errors for names that do not fit the network.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsKernel, type Matrix, type NetworkSpec } from "../../server/src/engine/index";
import {
  ExprError, batched, evaluateExpr, layerDeltas, parseFormula, renderExpr, renderPlain, type FormulaEnvironment,
} from "../../server/src/language/index";

const spec: NetworkSpec = {
  name: "dag",
  input: { name: "x", units: 3 },
  layers: [
    { kind: "dense", name: "h1", units: 4, from: "x", activation: { name: "tanh" }, init: { name: "xavier" } },
    { kind: "dense", name: "h2", units: 4, from: "h1", activation: { name: "leaky_relu", alpha: 0.2 }, init: { name: "he" } },
    { kind: "add", name: "res", units: 4, from: ["h1", "h2"] },
    { kind: "dropout", name: "d", units: 4, from: "res", rate: 0.5 },
    { kind: "concat", name: "both", units: 7, from: ["d", "x"] },
    { kind: "dense", name: "out", units: 3, from: "both", activation: { name: "softmax" }, init: { name: "xavier" } },
  ],
  loss: "cross_entropy",
};
const parse = (text: string) => parseFormula(text, spec);
const deltas = (layer: string) => layerDeltas(spec, layer)!;

describe("expressions are the hover's trees", () => {
  it("reads names as the hover's leaves: Δ, Z, A, W, b, ∂C/∂W, the mask, x and y", () => {
    expect(parse("delta.h1")).toEqual({ op: "delta", layer: "h1", batched: true });
    expect(parse("δ.h1")).toEqual(parse("delta.h1"));
    expect(parse("W.h2'")).toEqual({ op: "transpose", of: { op: "weight", layer: "h2" } });
    expect(parse("z.h1")).toEqual({ op: "weightedInput", layer: "h1", batched: true });
    expect(parse("x")).toEqual({ op: "activation", layer: "x", input: true, batched: true });
    expect(parse("h2")).toEqual({ op: "activation", layer: "h2", input: false, batched: true });
    expect(parse("y")).toEqual({ op: "target", batched: true });
    expect(parse("dW.out")).toEqual({ op: "gradient", param: "W", layer: "out" });
    expect(parse("mask.d")).toEqual({ op: "mask", layer: "d", batched: true });
    expect(parse("example(2).delta.h1")).toEqual({ op: "example", example: { op: "number", value: 2 }, of: { op: "delta", layer: "h1", batched: false } });
  });

  it("builds the seed's BP2 as the hover's tree, σ′ being the hover's slope node where the activation is the layer's", () => {
    // h2 and res both take h1's output: the sum over its outgoing edges
    expect(parse("(W.h2' * delta.h2 + delta.res) .* dtanh(z.h1)")).toEqual(batched(deltas("h1").delta));
    expect(parse("dleaky_relu(z.h2, 0.2)")).toEqual({ op: "slope", layer: "h2", activation: { name: "leaky_relu", alpha: 0.2 }, batched: true });
    // another activation, or another α, is a plain function call
    expect(parse("dsigmoid(z.h1)")).toEqual({ op: "call", name: "dsigmoid", args: [parse("z.h1")] });
    expect(parse("dleaky_relu(z.h2)").op).toBe("call");
  });

  it("names the hover's equations: bp1, bp2.…, bp3.…, bp4.… are layerDeltas' trees (batched), one example's inside example(k)", () => {
    expect(parse("bp1")).toEqual(batched(deltas("out").delta));
    expect(parse("bp1.out")).toEqual(parse("bp1"));
    for (const layer of ["h1", "h2", "res", "d", "both"]) expect(parse(`bp2.${layer}`)).toEqual(batched(deltas(layer).delta));
    for (const layer of ["h1", "h2", "out"]) {
      expect(parse(`bp3.${layer}`)).toEqual(deltas(layer).bp3!.batched);
      expect(parse(`bp4.${layer}`)).toEqual(deltas(layer).bp4!.batched);
    }
    expect(parse("example(3).bp4.h1")).toEqual({ op: "example", example: { op: "number", value: 3 }, of: deltas("h1").bp4!.single });
    expect(parse("delta.h1 - bp2.h1")).toEqual({ op: "difference", left: parse("delta.h1"), right: batched(deltas("h1").delta) });
  });

  it("renders in the hover's notation", () => {
    expect(renderExpr(parse("bp4.h1"))).toBe(renderExpr(deltas("h1").bp4!.batched));
    expect(renderPlain(parse("bp2.h1"))).toBe("((Wʰ²)ᵀ Δʰ² + Δʳᵉˢ) ⊙ tanh′(Zʰ¹)");
    expect(renderPlain(parse("norm(delta.h1) < 1e-6 && epoch >= 2"))).toBe("norm(Δʰ¹) < 0.000001 ∧ epoch ≥ 2");
    expect(renderPlain(parse("mean(abs(W.out[:, 1])) / lr"))).toBe("mean(abs(Wᵒᵘᵗ[:, 1])) / η");
    expect(renderPlain(parse("example(2).dW.h1 - dW.h1"))).toBe("∂C/∂Wʰ¹[example 2] − ∂C/∂Wʰ¹");
  });

  it("says clearly what is wrong with an equation's name", () => {
    const problem = (text: string): string => {
      try {
        parse(text);
      } catch (failure) {
        expect(failure).toBeInstanceOf(ExprError);
        return (failure as Error).message;
      }
      throw new Error(`${text} was read`);
    };
    expect(problem("bp2.h3")).toBe("bp2.h3: no layer named 'h3'; did you mean 'h1'?");
    expect(problem("bp3.res")).toBe("bp3.res: add layer 'res' has no parameters, so no BP3 (∂C/∂b); its δ is bp2.res");
    expect(problem("bp4.d")).toBe("bp4.d: dropout layer 'd' has no parameters, so no BP4 (∂C/∂W); its δ is bp2.d");
    expect(problem("bp2.out")).toBe("bp2.out: 'out' is the output layer, whose δ is given by BP1: write bp1");
    expect(problem("bp1.h1")).toBe("bp1.h1: BP1 gives δ of the output layer 'out'; the δ of 'h1' is bp2.h1");
    expect(problem("bp2.x")).toBe("bp2.x: 'x' is the input, which has no δ and no parameters");
    expect(problem("bp5.h1")).toMatch(/^unknown quantity 'bp5' in 'bp5.h1' \(quantities: W, b, z, a, delta, dW, db, ΔW, Δb, mask; the hover's equations: bp1, bp2, bp3, bp4\)$/);
    expect(problem("bp11")).toBe("unknown name 'bp11'; did you mean 'bp1'? (layers are read as W.h1, delta.…, z.…, a.…)");
    expect(() => parseFormula("bp2.h1")).toThrow("bp2.h1 needs the network the expression is read in");
  });

  it("writes a layer name without a superscript form as the hover does, and without Markdown's escapes for the console", () => {
    const named: NetworkSpec = { ...spec, layers: spec.layers.map((l) => (l.name === "h1" ? { ...l, name: "hidden_1" } : l.kind === "dense" && l.from === "h1" ? { ...l, from: "hidden_1" } : l.kind === "add" ? { ...l, from: ["hidden_1", "h2"] } : l)) };
    const tree = parseFormula("delta.hidden_1", named);
    expect(renderExpr(tree)).toBe("Δ^(hidden\\_1)");
    expect(renderPlain(tree)).toBe("Δ^(hidden_1)");
  });

  it("reads and evaluates any text over the network to a value or an ExprError, nothing else", () => {
    const values = (rows: number, cols: number): Matrix => ({ rows, cols, data: Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i + 1)) });
    const units = new Map([["x", 3], ...spec.layers.map((l) => [l.name, l.units] as [string, number])]);
    const m = 2;
    const env: FormulaEnvironment = {
      batchSize: m,
      weightedInput: (l) => values(units.get(l) ?? 1, m), activation: (l) => values(units.get(l) ?? 1, m), delta: (l) => values(units.get(l) ?? 1, m),
      weight: (l) => values(units.get(l) ?? 1, 3), bias: (l) => values(units.get(l) ?? 1, 1), target: () => values(3, m), mask: (l) => values(units.get(l) ?? 1, m),
      gradient: (_p, l) => values(units.get(l) ?? 1, 3), change: (_p, l) => values(units.get(l) ?? 1, 3), scalar: () => 2,
      example: () => env,
    };
    fc.assert(fc.property(fc.array(fc.constantFrom(
      "bp1", "bp2.", "bp3.", "bp4.", "h1", "h2", "res", "d", "out", "x", "delta.", "W.", "z.", "example(1).", "dtanh(", "norm(", "'", "*", ".*", "+", "-", "/", "(", ")", "[", "]", ",", ":", "1", "0", " ", "&&", "<",
    ), { maxLength: 12 }), (parts) => {
      const text = parts.join("");
      try {
        evaluateExpr(parseFormula(text, spec), env, jsKernel);
      } catch (failure) {
        expect(failure, text).toBeInstanceOf(ExprError);
      }
    }), { numRuns: 3000 });
  });
});
