/**
 * The exception filters: stops where the run goes wrong rather than where a
 * line is reached. A non-finite value is looked for at every point; the
 * gradient trend and the gradient check need the whole backward pass, so
 * they are judged at its last point, on the batch and weights of that step.
 * The trend is the rule of the editor's vanishing/exploding warning
 * (language/ide) on the quantity it reads, an epoch's mean ‖∂C/∂W‖, from the
 * same sums as train()'s metrics: it is judged at the end of each epoch's
 * last backward pass, so it stops where a run that ended with that epoch
 * would get the warning. The check is the engine's gradient checker with the
 * file's gradcheck settings.
 */
import type { DebugProtocol } from "@vscode/debugprotocol";
import { createNetwork, exportWeights, gradcheck, importWeights, type NonFinite, type Stepper } from "../engine/index";
import { gradientTrend, trendSentence } from "../language/ide/index";
import type { Program } from "./program";
import { short } from "./values";

export type Filter = "nonfinite" | "vanishing" | "exploding" | "gradcheck";

export const exceptionFilters: DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: "nonfinite", label: "NaN or Infinity", description: "Stop where a quantity first becomes NaN or infinite", default: true },
  { filter: "vanishing", label: "Vanishing gradient", description: "Stop at the end of an epoch whose mean ‖∂C/∂W‖ shrinks by two orders of magnitude or more from the output back to the first layer (the editor's warning, on the same numbers)" },
  { filter: "exploding", label: "Exploding gradient", description: "Stop at the end of an epoch whose mean ‖∂C/∂W‖ grows by two orders of magnitude or more from the output back to the first layer (the editor's warning, on the same numbers)" },
  { filter: "gradcheck", label: "Gradient check fails", description: "After each backward pass, check the gradients of the batch against central differences (the file's gradcheck settings); slow" },
];

export function isFilter(name: string): name is Filter {
  return exceptionFilters.some((f) => f.filter === name);
}

export interface Exception {
  filter: Filter;
  description: string;
  nonFinite?: NonFinite;
}

export function describeNonFinite(bad: NonFinite): string {
  return `non-finite value (NaN or Infinity): ${bad.quantity} of layer '${bad.node}' is the first quantity to become non-finite`;
}

/** The first enabled filter, not yet reported in this run, that the point the stepper has just run trips. */
export function exceptionAt(stepper: Stepper, program: Program, enabled: ReadonlySet<Filter>, reported: ReadonlySet<Filter>): Exception | undefined {
  const wants = (filter: Filter): boolean => enabled.has(filter) && !reported.has(filter);
  if (wants("nonfinite")) {
    const bad = stepper.nonFinite();
    if (bad) return { filter: "nonfinite", description: describeNonFinite(bad), nonFinite: bad };
  }
  if (!stepper.backwardDone) return undefined;
  if ((wants("vanishing") || wants("exploding")) && stepper.lastBatchOfEpoch) {
    const norms = stepper.epochGradientNorms();
    const trend = gradientTrend(program.config.spec, { layers: norms });
    if (trend && wants(trend.kind)) {
      const output = stepper.network.nodes[stepper.network.output].name;
      const batches = stepper.batchesPerEpoch;
      const mean = (layer: string): string => `${short(norms.find((n) => n.layer === layer)?.gradNorm ?? 0)} at '${layer}'`;
      const means = `‖∂C/∂W‖ = ${mean(trend.layer)}, ${mean(output)}`;
      return { filter: trend.kind, description: `${trendSentence(trend, output)} (epoch ${stepper.epoch}'s mean over its ${batches} batch${batches === 1 ? "" : "es"}: ${means})` };
    }
  }
  if (wants("gradcheck")) {
    const failure = gradcheckFailure(stepper, program);
    if (failure) return { filter: "gradcheck", description: failure };
  }
  return undefined;
}

// The checker perturbs weights, so it runs on a copy: the stepper's run stays bit for bit what training computes.
function gradcheckFailure(stepper: Stepper, program: Program): string | undefined {
  const ws = stepper.workspace;
  // a non-finite loss is the NaN filter's to report
  if (!ws || !Number.isFinite(stepper.loss)) return undefined;
  const { network } = stepper;
  const copy = createNetwork(program.config.spec, { seed: program.config.train.seed });
  importWeights(copy, exportWeights(network));
  const x = { rows: network.nodes[0].units, cols: ws.batch, data: ws.a[0].slice() };
  const y = { rows: network.nodes[network.output].units, cols: ws.batch, data: ws.targets.slice() };
  const { epsilon, tolerance, maxParams } = program.gradcheck;
  let report;
  try {
    report = gradcheck(copy, x, y, { epsilon, tolerance, maxParams, seed: program.config.train.seed }).report;
  } catch (failure) {
    return `the gradient check could not run on this batch: ${failure instanceof Error ? failure.message : String(failure)}`;
  }
  const worst = report.rows.filter((row) => !row.passed).sort((p, q) => q.maxRelErrorAwayFromKinks - p.maxRelErrorAwayFromKinks)[0];
  if (!worst) return undefined;
  return `gradient check failed on this batch: ∂C/∂${worst.param} of layer '${worst.layer}' differs from its central difference by a relative error of ${short(worst.maxRelErrorAwayFromKinks)} (tolerance ${tolerance}, ε = ${epsilon})`;
}
