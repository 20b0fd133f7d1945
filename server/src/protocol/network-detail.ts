/** The one line that describes a network beside its name: in the outline and in the editor's network pick. */
import type { NetworkSummary } from "./index";

export function networkDetail(summary: NetworkSummary): string {
  const layers = summary.layers.filter((layer) => layer.kind !== "input").length;
  return `${layers} layers · ${summary.totalParams} params`;
}
