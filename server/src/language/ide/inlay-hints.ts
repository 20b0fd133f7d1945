/**
 * Inlay hints after each layer: its output size and parameters, and the last
 * run's ‖∂C/∂W‖ as "∇". Kept short, for a narrow editor beside the panel;
 * the tooltip and the hover say it in full.
 */
import type { IdeDocument } from "./document";
import { formatNumber } from "./hover/run";
import type { DocumentRuns } from "./run";
import type { InlayHint, Span } from "./types";

export function inlayHints(document: IdeDocument, range: Span, runs?: DocumentRuns): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const network of document.analysis.model.networks) {
    if (network.ast.span.end < range.start || network.ast.span.start > range.end) continue;
    const run = network.name !== undefined ? runs?.get(network.name) : undefined;
    for (const layer of network.layers) {
      const end = layer.entry.span.end;
      if (end < range.start || end > range.end || layer.units === undefined) continue;
      const stats = run?.layers.find((each) => each.layer === layer.name);
      // a dense layer has at least one weight once its input size is known
      const unknown = layer.kind === "dense" && layer.params === 0;
      const params = layer.kind !== "dense" ? "" : unknown ? " · ? params" : ` · ${layer.params.toLocaleString("en-US")} params`;
      const gradient = stats && stats.gradNorm > 0 ? ` · ∇ ${formatNumber(stats.gradNorm)}` : "";
      const notes = [
        ...(unknown ? ["parameters: unknown until the size of the layer's input is known"] : []),
        ...(stats ? [`last run: ${stats.gradNorm > 0 ? `‖∂C/∂W‖ = ${formatNumber(stats.gradNorm)}, ` : ""}mean |δ| = ${formatNumber(stats.meanAbsDelta)}`] : []),
      ];
      hints.push({ offset: end, label: `→ ${layer.units}${params}${gradient}`, ...(notes.length > 0 ? { tooltip: notes.join("\n\n") } : {}) });
    }
  }
  return hints;
}
