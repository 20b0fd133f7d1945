/** Document symbols (networks → entries), folding ranges and code lenses. */
import { networkDetail } from "../../protocol/index";
import { networkSummary, type NetworkModel } from "../semantics/index";
import type * as ast from "../syntax/index";
import type { IdeDocument } from "./document";
import type { CodeLens, DocumentSymbol, FoldingRange } from "./types";

function layerDetail(network: NetworkModel, entry: ast.LayerEntry): string {
  const layer = network.layers.find((each) => each.entry === entry);
  if (!layer) return "";
  const units = layer.units !== undefined ? `${layer.units}` : "?";
  if (layer.kind === "dense") return `dense ${units} ${layer.activation?.name ?? ""} · ${layer.params} params`.replace("  ", " ");
  return `${layer.kind ?? "layer"}(${layer.inputs.map((input) => input.name.text).join(", ")}) · ${units}`;
}

function entrySymbol(network: NetworkModel, entry: ast.Entry, text: string): DocumentSymbol | undefined {
  const symbol = (name: string, kind: DocumentSymbol["kind"], detail: string, selection: ast.Span): DocumentSymbol =>
    ({ name, kind, detail, span: entry.span, selection, children: [] });
  switch (entry.kind) {
    case "input":
      return entry.name ? symbol(entry.name.text, "input", `input ${entry.units?.text ?? "?"}`, entry.name.span) : undefined;
    case "layer":
      return entry.name ? symbol(entry.name.text, "layer", layerDetail(network, entry), entry.name.span) : undefined;
    case "loss":
      return symbol(entry.loss?.name?.text ?? "loss", "loss", "loss", entry.loss?.span ?? entry.keyword);
    case "data":
      return symbol(entry.source?.kind === "call" ? entry.source.name?.text ?? "data" : "inline rows", "data", "data", entry.keyword);
    default:
      return symbol(entry.kind, entry.kind, text.slice(entry.span.start, entry.span.end).replace(/\s+/g, " ").slice(0, 60), entry.keyword);
  }
}

export function documentSymbols(document: IdeDocument): DocumentSymbol[] {
  return document.analysis.model.networks.map((network) => ({
    name: network.name ?? "(unnamed network)",
    kind: "network",
    detail: networkDetail(networkSummary(network)),
    span: network.ast.span,
    selection: network.ast.name?.span ?? network.ast.keyword,
    children: network.ast.entries.flatMap((entry) => entrySymbol(network, entry, document.text) ?? []),
  }));
}

export function foldingRanges(document: IdeDocument): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const network of document.analysis.parse.ast.networks) {
    if (network.body) ranges.push({ span: network.body, kind: "region" });
    for (const entry of network.entries) {
      if (entry.kind === "train" || entry.kind === "gradcheck") ranges.push({ span: entry.span, kind: "region" });
      if (entry.kind === "data" && entry.source?.kind === "inline") ranges.push({ span: entry.source.span, kind: "region" });
    }
  }
  for (const comment of document.analysis.parse.ast.comments) {
    if (comment.block) ranges.push({ span: comment.span, kind: "comment" });
  }
  return ranges;
}

export function codeLenses(document: IdeDocument): CodeLens[] {
  return document.analysis.model.networks.flatMap((network): CodeLens[] => {
    if (!network.name) return [];
    const args: CodeLens["arguments"] = [{ uri: document.uri, network: network.name }];
    const span = network.ast.keyword;
    return [
      { span, title: "▶ Train", command: "nnet.train", arguments: args },
      { span, title: "✓ Gradient check", command: "nnet.gradcheck", arguments: args },
      { span, title: "Σ Summary", command: "nnet.summary", arguments: args },
      { span, title: "⏯ Step through", command: "nnet.debug", arguments: args },
    ];
  });
}
