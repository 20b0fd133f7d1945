/**
 * The robustness fuzzer at full size: `npm run fuzz [-- --cases N --seed S]`.
 * Runs the same property as test/fuzz/ide.test.ts (every IDE operation on
 * valid, mutated and huge .nnet texts) in chunks, so one failure is shrunk
 * to a minimal counterexample and reported while the run goes on. Prints the
 * calls and the slowest answer per operation.
 */
import fc from "fast-check";
import { performance } from "node:perf_hooks";
import { budgetMs, exercise, remeasures, timedBelow, type Stats } from "../test/fuzz/exercise";
import { anyCase, hugeCases, type FuzzCase } from "../test/fuzz/generators";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} wants a whole number, got ${process.argv[at + 1]}`);
  return value;
}

const cases = option("cases", 100_000);
const seed = option("seed", 20261201);
const chunk = option("chunk", 1000);
const stats: Stats = new Map();
/** A chunk runs in seconds; past this, shrinking a failure stops at the smallest counterexample found so far. */
const shrinkLimitMs = 120_000;

interface Failure {
  seed: number;
  path?: string;
  problems: string[];
  counterexample: string;
}

function problemsOf(fuzz: FuzzCase): string[] {
  return exercise(fuzz.text, stats, { budgeted: true }).problems;
}

function runChunk(chunkSeed: number, runs: number): Failure | undefined {
  let last: string[] = [];
  const result = fc.check(fc.property(anyCase, (fuzz) => {
    last = problemsOf(fuzz);
    return last.length === 0;
  }), { numRuns: runs, seed: chunkSeed, interruptAfterTimeLimit: shrinkLimitMs });
  if (!result.failed) return undefined;
  const example = result.counterexample?.[0];
  if (example) last = problemsOf(example);
  return { seed: chunkSeed, path: result.counterexamplePath ?? undefined, problems: last, counterexample: JSON.stringify(example?.text ?? null) };
}

function report(failures: Failure[], ran: number, seconds: number): void {
  console.log(`\n${ran} cases (seed ${seed}, chunks of ${chunk}) in ${seconds.toFixed(0)} s; ${failures.length} failing chunk(s)`);
  console.log(`budget: ${budgetMs} ms per answer on texts under ${timedBelow} characters; a slow answer is measured ${remeasures} more times and fails only if every measurement is over\n`);
  const rows = [...stats].sort(([a], [b]) => a.localeCompare(b));
  for (const [operation, entry] of rows) {
    const timed = `slowest under ${timedBelow / 1000} KB ${entry.slowestTimedMs.toFixed(2).padStart(7)} ms`;
    console.log(`${operation.padEnd(16)} ${String(entry.calls).padStart(11)} calls   ${timed}   slowest of all ${entry.slowestMs.toFixed(2).padStart(8)} ms (${entry.slowestLength} chars)`);
  }
  for (const failure of failures) {
    console.log(`\nFAILED: reproduce with fc.check(…, { seed: ${failure.seed}, path: ${JSON.stringify(failure.path)} }) or --seed ${failure.seed} --cases ${chunk} --chunk ${chunk}`);
    console.log(`  minimal counterexample: ${failure.counterexample.slice(0, 2000)}`);
    for (const problem of failure.problems) console.log(`  - ${problem.slice(0, 2000)}`);
  }
}

function main(): void {
  const started = performance.now();
  const failures: Failure[] = [];
  for (const huge of hugeCases()) {
    const problems = exercise(huge.text, stats, { budgeted: true }).problems;
    if (problems.length > 0) failures.push({ seed, problems, counterexample: `hugeCases(): ${huge.name}` });
  }
  let ran = 0;
  for (let index = 0; ran < cases; index++) {
    const runs = Math.min(chunk, cases - ran);
    const failure = runChunk(seed + index, runs);
    if (failure) failures.push(failure);
    ran += runs;
    if (index % 10 === 9) console.log(`${ran} cases, ${((performance.now() - started) / 1000).toFixed(0)} s, ${failures.length} failing chunk(s)`);
  }
  report(failures, ran, (performance.now() - started) / 1000);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

main();
