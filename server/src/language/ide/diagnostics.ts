/**
 * Diagnostics: the language core's, unchanged, plus the last run's
 * (gradient-check failures on the failing layer; vanishing or exploding
 * gradients), which describe the text they ran on and vanish with an edit.
 */
import type { Diagnostic, NetworkModel } from "../semantics/index";
import { specOf, type IdeDocument } from "./document";
import { formatNumber, gradientTrend, trendSentence } from "./hover/run";
import type { DocumentRuns, RunRecord } from "./run";
import type { IdeDiagnostic } from "./types";

function fromCore(item: Diagnostic): IdeDiagnostic {
  return {
    span: item.span,
    severity: item.severity,
    code: item.code,
    message: item.message,
    related: item.related ?? [],
    tags: item.code === "nnet/unreachable-layer" ? ["unnecessary"] : [],
  };
}

function runDiagnostics(network: NetworkModel, run: RunRecord): IdeDiagnostic[] {
  const found: IdeDiagnostic[] = [];
  const nameSpan = (layer: string) => network.layerByName.get(layer)?.entry.name?.span ?? network.ast.name?.span ?? network.ast.keyword;
  for (const row of run.gradcheck?.rows ?? []) {
    if (row.passed) continue;
    found.push({
      span: nameSpan(row.layer), severity: "warning", code: "nnet/gradcheck-failed", related: [], tags: [],
      message: `gradient check failed for ∂C/∂${row.param} of '${row.layer}': max relative error ${formatNumber(row.maxRelError)} exceeds the tolerance ${formatNumber(run.gradcheck!.tolerance)} (${row.checked} of ${row.total} parameters checked${row.kinks > 0 ? `, ${row.kinks} near a relu kink` : ""}${row.clips ? `, ${row.clips} at the cross-entropy clip` : ""})`,
    });
  }
  const spec = specOf(network);
  const trend = spec ? gradientTrend(spec, run) : undefined;
  if (spec && trend) {
    const output = spec.layers[spec.layers.length - 1]!.name;
    found.push({
      span: nameSpan(trend.layer), severity: "information", code: `nnet/${trend.kind}-gradients-observed`, tags: [],
      message: `last run: ${trendSentence(trend, output)}`,
      related: [{ span: nameSpan(output), message: `the output layer '${output}'` }],
    });
  }
  return found;
}

export function diagnostics(document: IdeDocument, runs?: DocumentRuns): IdeDiagnostic[] {
  const found = document.analysis.diagnostics.map(fromCore);
  for (const network of document.analysis.model.networks) {
    const run = network.name !== undefined ? runs?.get(network.name) : undefined;
    if (run && run.version === document.version && run.status !== "running") found.push(...runDiagnostics(network, run));
  }
  return found;
}
