/**
 * The IDE layer's answers: plain data with offsets into the document text
 * (0-based, end exclusive). Only the LSP layer turns them into positions.
 */
import type { Span } from "../syntax/index";

export type { Span };

export type Severity = "error" | "warning" | "information" | "hint";

export interface RelatedInformation {
  span: Span;
  message: string;
}

export interface TextEdit {
  span: Span;
  newText: string;
}

export interface IdeDiagnostic {
  span: Span;
  severity: Severity;
  code: string;
  message: string;
  related: RelatedInformation[];
  /** "unnecessary" greys the range out (a layer that does not reach the output) */
  tags: "unnecessary"[];
}

export interface Hover {
  span: Span;
  markdown: string;
}

export type CompletionKind =
  | "activation" | "loss" | "layer" | "input" | "data" | "key" | "argument" | "keyword"
  | "initialiser" | "optimizer" | "snippet" | "value" | "column";

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown, with the formula */
  documentation?: string;
  /** text to insert; a snippet with ${1:…} placeholders when `snippet` is set */
  insertText?: string;
  snippet?: boolean;
  sortText?: string;
}

export interface CompletionList {
  /** the word being completed */
  span: Span;
  items: CompletionEntry[];
}

export type SymbolKind = "network" | "input" | "layer" | "loss" | "data" | "train" | "gradcheck";

export interface DocumentSymbol {
  name: string;
  kind: SymbolKind;
  detail: string;
  span: Span;
  selection: Span;
  children: DocumentSymbol[];
}

export interface FoldingRange {
  span: Span;
  kind?: "comment" | "region";
}

export const semanticTokenTypes = [
  "keyword", "network", "layer", "input", "activation", "loss", "function", "parameter", "property",
  "number", "string", "comment", "operator",
] as const;
export type SemanticTokenType = (typeof semanticTokenTypes)[number];
export const semanticTokenModifiers = ["declaration", "defaultLibrary"] as const;
export type SemanticTokenModifier = (typeof semanticTokenModifiers)[number];

export interface SemanticToken {
  span: Span;
  type: SemanticTokenType;
  modifiers: SemanticTokenModifier[];
}

export interface InlayHint {
  offset: number;
  label: string;
  tooltip?: string;
}

export interface CodeAction {
  title: string;
  /** the code of the diagnostic it fixes */
  diagnosticCode?: string;
  diagnosticSpan?: Span;
  edits: TextEdit[];
  preferred: boolean;
}

export interface CodeLens {
  span: Span;
  title: string;
  command: "nnet.train" | "nnet.gradcheck" | "nnet.summary" | "nnet.debug";
  arguments: [{ uri: string; network: string }];
}

export type RenameResult = { edits: TextEdit[] } | { error: string };
