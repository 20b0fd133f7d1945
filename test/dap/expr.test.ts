/**
 * The debugger's expression language on its own: operators, functions,
 * broadcasting and its errors, read into formula trees and evaluated by the
 * formula model's evaluator (names unchecked: no network).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromRows, jsKernel, toRows, type Matrix } from "../../server/src/engine/index";
import {
  evaluateExpr, ExprError, parseFormula, truth, type FormulaEnvironment, type FormulaValue,
} from "../../server/src/language/index";
import { interpolate, parseHitCondition } from "../../server/src/dap/breakpoints";

const A = fromRows([[1, 2], [3, 4]]);
const v = fromRows([[10], [20]]);
const unknown = (what: string) => (name?: string): never => { throw new ExprError(`unknown ${what}.${name ?? ""}`); };
const env: FormulaEnvironment = {
  batchSize: 2,
  weight: (layer) => (layer === "h" ? A : unknown("W")(layer)),
  activation: (layer) => (layer === "v" ? v : unknown("")(layer)),
  scalar: (name) => (name === "m" ? 2 : unknown("")(name)),
  weightedInput: unknown("z"), delta: unknown("delta"), bias: unknown("b"), target: unknown("y"), mask: unknown("mask"),
  gradient: unknown("d"), change: unknown("Δ"), example: () => unknown("example")(),
};
const evaluate = (text: string): FormulaValue => evaluateExpr(parseFormula(text), env, jsKernel);
const run = (text: string): number | number[][] => {
  const value = evaluate(text);
  return typeof value === "number" ? value : toRows(value as Matrix);
};

describe("expressions", () => {
  it("multiplies, transposes and works elementwise, with a column broadcast across columns", () => {
    expect(run("W.h * W.h")).toEqual([[7, 10], [15, 22]]);
    expect(run("W.h'")).toEqual([[1, 3], [2, 4]]);
    expect(run("W.h .* W.h")).toEqual([[1, 4], [9, 16]]);
    expect(run("W.h ./ 2")).toEqual([[0.5, 1], [1.5, 2]]);
    expect(run("W.h + v")).toEqual([[11, 12], [23, 24]]);
    expect(run("-W.h' * v / m")).toEqual([[-35], [-50]]);
    expect(run("2 * W.h - W.h")).toEqual([[1, 2], [3, 4]]);
    expect(run("W.h[1]")).toEqual([[3, 4]]);
    expect(run("W.h[1, 0] + 1e-1")).toBe(3.1);
  });

  it("reduces and maps with functions, the activations' slopes coming from the engine", () => {
    expect(run("norm(v)")).toBe(Math.hypot(10, 20));
    expect(run("mean(abs(-W.h))")).toBe(2.5);
    expect(run("sum(W.h) + max(W.h) - min(W.h)")).toBe(13);
    expect(run("rows(v) * cols(W.h)")).toBe(4);
    expect(run("dtanh(0) + dsigmoid(0) + drelu(-1) + drelu(2)")).toBe(1 + 0.25 + 0 + 1);
    expect(run("sum(softmax(W.h))")).toBeCloseTo(2, 15);
    expect(run("dleaky_relu(-1, 0.2)")).toBe(0.2);
  });

  it("compares and combines for conditions", () => {
    expect(truth(evaluate("norm(v) > 20 && m == 2"))).toBe(true);
    expect(truth(evaluate("m != 2 || 0"))).toBe(false);
    expect(() => truth(evaluate("W.h > 1"))).toThrow("the condition gives a 2×2 matrix, not a number; reduce it with norm(…), max(…) or mean(…)");
  });

  it("says clearly what is wrong", () => {
    expect(() => run("")).toThrow("the expression is empty");
    expect(() => run("W.h * v'")).toThrow("cannot multiply 2×2 by 1×2: the inner sizes 2 and 1 differ (use .* to multiply elementwise)");
    expect(() => run("W.h / W.h")).toThrow("'/' divides by a number; use ./ to divide elementwise");
    expect(() => run("W.h[2, 0]")).toThrow("row 2 is outside 0…1");
    expect(() => run("W.h[0.5]")).toThrow("a row index must be a whole number");
    expect(() => run("(1 + 2")).toThrow("expected ')' at column 7 (the expression ends early)");
    expect(() => run("1 $ 2")).toThrow("unexpected '$' at column 3");
    expect(() => run("W.")).toThrow("expected a layer name after 'W.' at column 3");
    expect(() => run("dsoftmax(v)")).toThrow("softmax's Jacobian is not diagonal");
    expect(() => run("norm(v, v)")).toThrow("norm takes one argument, got 2");
  });

  it("reads long expressions, and refuses one nested too deep with a message", () => {
    expect(run(Array.from({ length: 2_000 }, () => "m").join(" + "))).toBe(4_000);
    expect(() => run(`W.${"h".repeat(200_000)}`)).toThrow("unknown W.hhh");
    expect(() => run("(".repeat(100_000) + "m" + ")".repeat(100_000))).toThrow("the expression is nested too deeply to evaluate");
  });

  it("throws nothing but ExprError on any text", () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(..."W.hv m()[],'*+-/<>=!&|0123456789e normabsdtanh") }), (text) => {
      try {
        evaluate(text);
      } catch (failure) {
        expect(failure).toBeInstanceOf(ExprError);
      }
    }), { numRuns: 2000 });
  });
});

describe("breakpoint helpers", () => {
  it("reads hit counts", () => {
    const at = (text: string): boolean[] => {
      const f = parseHitCondition(text);
      if (typeof f === "string") throw new Error(f);
      return [1, 2, 3, 4].map(f);
    };
    expect(at("3")).toEqual([false, false, true, false]);
    expect(at(">= 3")).toEqual([false, false, true, true]);
    expect(at("% 2")).toEqual([false, true, false, true]);
    expect(parseHitCondition("often")).toMatch(/is not a number/);
  });

  it("fills logpoint messages", () => {
    expect(interpolate("a {x} {{literal}} {y}", (e) => `<${e}>`)).toBe("a <x> {literal} <y>");
  });
});
