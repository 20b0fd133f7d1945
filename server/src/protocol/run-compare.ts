/**
 * What differed between runs that are compared: the settings whose values are
 * not the same in all of them, said as "lr 0.01 vs 0.03". The panel's legend
 * and the extension read the same words.
 */
import type { HistoryRun } from "./index";

export interface RunDifference {
  setting: string;
  /** each run's value, in the runs' order */
  values: string[];
}

export function runDifferences(runs: HistoryRun[]): RunDifference[] {
  const settings = [...new Set(runs.flatMap((run) => Object.keys(run.settings)))];
  return settings
    .map((setting) => ({ setting, values: runs.map((run) => run.settings[setting] ?? "—") }))
    .filter((difference) => new Set(difference.values).size > 1);
}

/** "lr 0.01 vs 0.03; h1 units 16 vs 32", or that nothing differed. */
export function differenceLine(runs: HistoryRun[]): string {
  const differences = runDifferences(runs);
  if (differences.length === 0) return "same settings";
  return differences.map(({ setting, values }) => `${setting} ${values.join(" vs ")}`).join("; ");
}

/** One run's name in a legend: its own name, or what set it apart ("lr 0.03"), or its start. */
export function runLabel(run: HistoryRun, among: HistoryRun[]): string {
  if (run.name) return run.name;
  const own = runDifferences(among).map(({ setting }) => `${setting} ${run.settings[setting] ?? "—"}`);
  return own.length > 0 ? own.join(", ") : new Date(run.startedAt).toISOString().slice(11, 19);
}
