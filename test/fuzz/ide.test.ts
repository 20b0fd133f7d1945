/**
 * Bad input never breaks the language tooling (ARCHITECTURE invariant 1):
 * valid networks, the same networks mutated, and huge texts, through every
 * IDE operation, with a fixed seed. The suite runs a few hundred cases so it
 * stays quick; `npm run fuzz` runs the same property on 100,000 cases and
 * also holds every answer to its time budget.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "../../server/src/language/index";
import { exercise, type Stats } from "./exercise";
import { formatProblems } from "./format-contract";
import { fuzzCase, hugeCases, validFile } from "./generators";

export const ciSeed = 20261201;
const stats: Stats = new Map();

function expectClean(text: string): void {
  const { problems } = exercise(text, stats);
  expect(problems, JSON.stringify(text.slice(0, 2000))).toEqual([]);
}

describe("fuzz: every IDE operation on generated and mutated .nnet text", () => {
  it("the format checks fail on a dropped comment, a changed token, a lost separator or a layout that moves again", () => {
    const text = "network n { // why\n  input x: 2, loss mse }\n";
    const whole = (newText: string) => [{ span: { start: 0, end: text.length }, newText }];
    const problems = (newText: string): string[] => formatProblems(text, whole(newText), true, (_op, answer) => answer());
    expect(problems("network n {\n  input x: 2, loss mse }\n").join()).toContain("comments");
    expect(problems("network n { // why\n  input y: 2, loss mse }\n").join()).toContain("tokens");
    expect(problems("network n { // why\n  input x: 2\n  loss mse }\n").join()).toContain("tokens");
    expect(problems("network n { // why\n input x: 2, loss mse }").join()).toContain("idempotent");
  });

  it("the generator's valid files parse without syntax errors", () => {
    fc.assert(fc.property(validFile, (text) => {
      expect(parse(text).errors, text).toEqual([]);
    }), { numRuns: 300, seed: ciSeed });
  });

  it("valid files: nothing throws, answers stay in range, formatting keeps its contract", () => {
    fc.assert(fc.property(validFile, expectClean), { numRuns: 120, seed: ciSeed });
  });

  it("mutated files: the same, for deleted, duplicated, swapped tokens, cuts, garbage, odd numbers and unicode", () => {
    fc.assert(fc.property(fuzzCase, (fuzz) => expectClean(fuzz.text)), { numRuns: 500, seed: ciSeed + 1 });
  });

  it("arbitrary strings, any code unit: the same", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), expectClean), { numRuns: 150, seed: ciSeed + 2 });
  });

  // the heaviest texts take seconds each here, and hover at every token of a deep text far more: `npm run fuzz` runs
  // them all at every token; the suite hovers at an even sample
  for (const huge of hugeCases().filter((each) => !each.heavy)) {
    it(`huge input: ${huge.name}`, () => {
      const { problems } = exercise(huge.text, stats, { hoverOffsets: 20 });
      expect(problems).toEqual([]);
    });
  }

  // the times are reported, not asserted: `npm run fuzz` holds them to the budget
  it("every operation was exercised, and its slowest answer is reported", () => {
    const rows = [...stats].map(([operation, entry]) =>
      `${operation}: ${entry.calls} calls, slowest under 100 KB ${entry.slowestTimedMs.toFixed(2)} ms, of all ${entry.slowestMs.toFixed(2)} ms (${entry.slowestLength} chars)`);
    console.log(`fuzz answers:\n  ${rows.join("\n  ")}`);
    expect(stats.size).toBeGreaterThan(10);
  });
});
