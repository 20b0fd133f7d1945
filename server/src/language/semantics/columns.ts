/**
 * Which CSV columns are features and which are targets, by header name. Kept
 * apart from how rows are read, so the checker and the training loader (and
 * any faster loader) choose the same columns and name the same problems.
 */
import { closest, didYouMean } from "../suggest";

export type ColumnRole = "target" | "feature";

export type ColumnProblem =
  /** `index`: the position of the name in what was written (target list or feature list) */
  | { kind: "unknown"; role: ColumnRole; index: number; name: string; suggestion?: string }
  | { kind: "duplicate"; role: ColumnRole; index: number; name: string }
  | { kind: "both"; index: number; name: string }
  | { kind: "no-features" };

export interface ColumnSelection {
  /** header indices of the features, in the order the network reads them */
  features: number[];
  /** header indices of the targets, in order */
  targets: number[];
  problems: ColumnProblem[];
}

function indicesOf(header: string[], names: string[], role: ColumnRole, problems: ColumnProblem[]): number[] {
  const seen = new Set<string>();
  const found: number[] = [];
  names.forEach((name, index) => {
    if (seen.has(name)) return void problems.push({ kind: "duplicate", role, index, name });
    seen.add(name);
    const at = header.indexOf(name);
    if (at < 0) problems.push({ kind: "unknown", role, index, name, ...(closest(name, header) ? { suggestion: closest(name, header) } : {}) });
    else found.push(at);
  });
  return found;
}

/** Targets by name; features by name in the order written, or every other column in header order. */
export function selectColumns(header: string[], targets: string[], features?: string[]): ColumnSelection {
  const problems: ColumnProblem[] = [];
  const targetIndices = indicesOf(header, targets, "target", problems);
  let featureIndices: number[];
  if (features) {
    featureIndices = indicesOf(header, features, "feature", problems);
    features.forEach((name, index) => {
      if (targets.includes(name)) problems.push({ kind: "both", index, name });
    });
    featureIndices = featureIndices.filter((c) => !targetIndices.includes(c));
  } else {
    featureIndices = header.map((_, c) => c).filter((c) => !targetIndices.includes(c));
  }
  if (featureIndices.length === 0 && problems.length === 0) problems.push({ kind: "no-features" });
  return { features: featureIndices, targets: targetIndices, problems };
}

/** One sentence for a problem, naming the file as `shown`. */
export function columnProblemMessage(problem: ColumnProblem, header: string[], shown: string): string {
  switch (problem.kind) {
    case "unknown":
      return `the CSV file '${shown}' has no ${problem.role} column '${problem.name}'; its columns are ${header.map((h) => `'${h}'`).join(", ")}${didYouMean(problem.suggestion)}`;
    case "duplicate":
      return `the ${problem.role} column '${problem.name}' is listed twice; list it once`;
    case "both":
      return `'${problem.name}' is the target and a feature; a column the network is given cannot also be what it predicts`;
    case "no-features":
      return `the CSV file '${shown}' has no feature column besides the target`;
  }
}
