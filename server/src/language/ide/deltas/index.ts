export type { Expr } from "./expr";
export { batched } from "./expr";
export { type LayerDeltas, type FusedPair, type DeltaOptions, layerDeltas, networkDeltas, fusedPair, lossGradientDefinition } from "./build";
export { type LayerGraph, type OutgoingEdge, layerGraph, graphOf, pathCounts, predecessors } from "./graph";
export { renderExpr, countText, superscript, subscriptNumber, realSpace, escapeMarkdown, activationSymbol, mentions, type RenderOptions } from "./render";
