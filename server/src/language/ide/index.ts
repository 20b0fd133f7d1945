/** The IDE layer: plain-data answers with offsets, for the LSP layer and tests. */
export * from "./types";
export type { RunRecord, RunLayerStats, RunGradcheckRow, DocumentRuns } from "./run";
export { analyzeDocument, specOf, type IdeDocument, type DocumentSource } from "./document";
export { hover } from "./hover/index";
export { gradientTrend, trendSentence, type GradientTrend, type GradientNorms } from "./hover/run";
export { networkCosts } from "./hover/network";
export { diagnostics } from "./diagnostics";
export { completion } from "./completion";
export { documentSymbols, foldingRanges, codeLenses } from "./outline";
export { semanticTokens } from "./semantic-tokens";
export { inlayHints } from "./inlay-hints";
export { codeActions } from "./code-actions";
export { format, formatText } from "./format";
export { definition, references, prepareRename, rename } from "./references";
export { targetAt, type Target } from "./locate";
