/**
 * The formula model: one tree (`Expr`) for the hover's BP1–BP4 and the
 * debugger's expressions; it is built (build.ts), read from text
 * (parse.ts), rendered (render.ts) and evaluated (evaluate.ts).
 */
export type { Expr, RunScalar, Relation } from "./expr";
export { batched } from "./expr";
export { type LayerDeltas, type FusedPair, type DeltaOptions, layerDeltas, networkDeltas, fusedPair, lossGradientDefinition } from "./build";
export { type LayerGraph, type OutgoingEdge, layerGraph, graphOf, pathCounts, predecessors } from "./graph";
export {
  renderExpr, renderPlain, countText, superscript, subscriptNumber, realSpace, escapeMarkdown, activationSymbol, mentions, type RenderOptions,
} from "./render";
export { ExprError, NotComputedError } from "./errors";
export { parseFormula } from "./parse";
export { equationNames, quantityNames, equationNamed, type Equation } from "./names";
export { functionNames } from "./functions";
export { evaluateExpr, type FormulaEnvironment } from "./evaluate";
export { type Value as FormulaValue, norm, truth, transposed } from "./values";
