/**
 * Inlay hints after each layer: a dense layer's parameter count, or after a
 * run the run's ‖∂C/∂W‖ as "∇"; the size of a layer whose text does not say
 * it (add, concat, dropout). Kept to a few characters: at the default split
 * beside the panel the editor shows about 38, and a layer's line with a
 * longer hint made End scroll the editor sideways. The tooltip and the
 * hover say it all in full.
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
      const count = `${layer.params.toLocaleString("en-US")} params`;
      const gradient = stats && stats.gradNorm > 0 ? `∇ ${shortNumber(stats.gradNorm)}` : "";
      const label = layer.kind !== "dense" ? `→ ${layer.units}` : unknown ? "? params" : gradient || count;
      const notes = [
        `output: ${layer.units} units · ${unknown ? "parameters unknown until the size of the layer's input is known" : layer.kind === "dense" ? count : "no parameters"}`,
        ...(stats ? [`last run: ${stats.gradNorm > 0 ? `‖∂C/∂W‖ = ${formatNumber(stats.gradNorm)}, ` : ""}mean |δ| = ${formatNumber(stats.meanAbsDelta)}`] : []),
      ];
      hints.push({ offset: end, label, tooltip: notes.join("\n\n") });
    }
  }
  return hints;
}

/** Two significant digits: the hint's figure; the tooltip has three. */
function shortNumber(value: number): string {
  const size = Math.abs(value);
  if (size >= 1e-2 && size < 1e4) return String(Number(value.toPrecision(2)));
  return value.toExponential(1).replace("e+", "e");
}
