/**
 * The one place where the IDE layer's plain data (offsets, string kinds)
 * becomes LSP types (positions, enums) and back.
 */
import { fileURLToPath } from "node:url";
import * as lsp from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type * as ide from "../language/ide/index";

export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export const range = (document: TextDocument, span: ide.Span): lsp.Range =>
  ({ start: document.positionAt(span.start), end: document.positionAt(span.end) });

export const spanOf = (document: TextDocument, value: lsp.Range): ide.Span =>
  ({ start: document.offsetAt(value.start), end: document.offsetAt(value.end) });

const severities: Record<ide.Severity, lsp.DiagnosticSeverity> = {
  error: lsp.DiagnosticSeverity.Error,
  warning: lsp.DiagnosticSeverity.Warning,
  information: lsp.DiagnosticSeverity.Information,
  hint: lsp.DiagnosticSeverity.Hint,
};

export function diagnostic(document: TextDocument, item: ide.IdeDiagnostic): lsp.Diagnostic {
  return {
    range: range(document, item.span),
    severity: severities[item.severity],
    code: item.code,
    source: "nnet",
    message: item.message,
    relatedInformation: item.related.map((related) => ({
      location: { uri: document.uri, range: range(document, related.span) },
      message: related.message,
    })),
    ...(item.tags.length > 0 ? { tags: [lsp.DiagnosticTag.Unnecessary] } : {}),
  };
}

export const hover = (document: TextDocument, item: ide.Hover): lsp.Hover =>
  ({ range: range(document, item.span), contents: { kind: lsp.MarkupKind.Markdown, value: item.markdown } });

const completionKinds: Record<ide.CompletionKind, lsp.CompletionItemKind> = {
  activation: lsp.CompletionItemKind.Function,
  loss: lsp.CompletionItemKind.Function,
  layer: lsp.CompletionItemKind.Variable,
  input: lsp.CompletionItemKind.Variable,
  data: lsp.CompletionItemKind.Module,
  key: lsp.CompletionItemKind.Property,
  argument: lsp.CompletionItemKind.Field,
  keyword: lsp.CompletionItemKind.Keyword,
  initialiser: lsp.CompletionItemKind.Function,
  optimizer: lsp.CompletionItemKind.Function,
  snippet: lsp.CompletionItemKind.Snippet,
  value: lsp.CompletionItemKind.Value,
  column: lsp.CompletionItemKind.Field,
};

export function completionList(document: TextDocument, list: ide.CompletionList): lsp.CompletionList {
  const replace = range(document, list.span);
  const items = list.items.map((item): lsp.CompletionItem => ({
    label: item.label,
    kind: completionKinds[item.kind],
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.documentation ? { documentation: { kind: lsp.MarkupKind.Markdown, value: item.documentation } } : {}),
    ...(item.sortText ? { sortText: item.sortText } : {}),
    insertTextFormat: item.snippet ? lsp.InsertTextFormat.Snippet : lsp.InsertTextFormat.PlainText,
    textEdit: { range: replace, newText: item.insertText ?? item.label },
  }));
  return { isIncomplete: false, items };
}

const symbolKinds: Record<ide.SymbolKind, lsp.SymbolKind> = {
  network: lsp.SymbolKind.Class,
  input: lsp.SymbolKind.Variable,
  layer: lsp.SymbolKind.Field,
  loss: lsp.SymbolKind.Function,
  data: lsp.SymbolKind.Module,
  train: lsp.SymbolKind.Object,
  gradcheck: lsp.SymbolKind.Object,
};

export function documentSymbol(document: TextDocument, item: ide.DocumentSymbol): lsp.DocumentSymbol {
  return {
    name: item.name,
    kind: symbolKinds[item.kind],
    detail: item.detail,
    range: range(document, item.span),
    selectionRange: range(document, item.selection),
    children: item.children.map((child) => documentSymbol(document, child)),
  };
}

export function foldingRange(document: TextDocument, item: ide.FoldingRange): lsp.FoldingRange {
  const start = document.positionAt(item.span.start);
  const end = document.positionAt(item.span.end);
  return { startLine: start.line, endLine: Math.max(start.line, end.line - (item.kind === "comment" ? 0 : 1)), ...(item.kind ? { kind: item.kind } : {}) };
}

/** Our token types on the standard ones, so every theme colours them. */
const standardTokenType: Record<ide.SemanticTokenType, string> = {
  keyword: "keyword", network: "class", layer: "variable", input: "parameter", activation: "function",
  loss: "enumMember", function: "function", parameter: "parameter", property: "property", number: "number",
  string: "string", comment: "comment", operator: "operator",
};
const legendTypes = [...new Set(Object.values(standardTokenType))];
const legendModifiers = ["declaration", "defaultLibrary"];

export const semanticLegend: lsp.SemanticTokensLegend = { tokenTypes: legendTypes, tokenModifiers: legendModifiers };

/** Encodes tokens as LSP's relative (line, character, length, type, modifiers) quintuples. */
export function semanticTokens(document: TextDocument, tokens: ide.SemanticToken[]): lsp.SemanticTokens {
  const data: number[] = [];
  let line = 0;
  let character = 0;
  const sorted = [...tokens].sort((a, b) => a.span.start - b.span.start);
  for (const token of sorted) {
    const start = document.positionAt(token.span.start);
    const end = document.positionAt(token.span.end);
    if (end.line !== start.line || token.span.end <= token.span.start) continue;
    const deltaLine = start.line - line;
    data.push(deltaLine, deltaLine === 0 ? start.character - character : start.character, end.character - start.character,
      legendTypes.indexOf(standardTokenType[token.type]),
      token.modifiers.reduce((bits, modifier) => bits | (1 << legendModifiers.indexOf(modifier)), 0));
    line = start.line;
    character = start.character;
  }
  return { data };
}

export const textEdit = (document: TextDocument, edit: ide.TextEdit): lsp.TextEdit =>
  ({ range: range(document, edit.span), newText: edit.newText });

export function inlayHint(document: TextDocument, item: ide.InlayHint): lsp.InlayHint {
  return {
    position: document.positionAt(item.offset),
    label: item.label,
    paddingLeft: true,
    ...(item.tooltip ? { tooltip: { kind: lsp.MarkupKind.Markdown, value: item.tooltip } } : {}),
  };
}

export const location = (document: TextDocument, span: ide.Span): lsp.Location => ({ uri: document.uri, range: range(document, span) });
