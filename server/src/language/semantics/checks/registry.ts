/** Validation as a list of small checks, each reporting through `accept` with a stable code. */
import type * as ast from "../../syntax/ast";
import type { Diagnostic, Fix, NetworkModel, Severity } from "../model";

export type Accept = (
  severity: Severity,
  code: string,
  span: ast.Span,
  message: string,
  extra?: { related?: Diagnostic["related"]; fixes?: Fix[] },
) => void;

export interface CheckContext {
  text: string;
  /** true when the user asked to train: a missing data entry becomes an error */
  forTraining: boolean;
}

export interface NetworkCheck {
  name: string;
  run(network: NetworkModel, accept: Accept, context: CheckContext): void;
}

export const replace = (title: string, span: ast.Span, newText: string): Fix => ({ title, edits: [{ span, newText }] });

/** A replacement fix for a did-you-mean suggestion, when there is one. */
export function suggestionFix(span: ast.Span, suggestion: string | undefined): Fix[] | undefined {
  return suggestion ? [replace(`Change to '${suggestion}'`, span, suggestion)] : undefined;
}

/** The indentation of the line holding `offset`, for inserted entries. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** "1 unit", "3 units". */
export const count = (n: number | undefined, word: string): string => `${n ?? "?"} ${word}${n === 1 ? "" : "s"}`;
