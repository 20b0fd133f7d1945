/** Quick fixes: the `fixes` the checker attached to each diagnostic in the range. */
import type { IdeDocument } from "./document";
import type { CodeAction, Span } from "./types";

const overlaps = (a: Span, b: Span): boolean => a.start <= b.end && b.start <= a.end;

export function codeActions(document: IdeDocument, range: Span): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of document.analysis.diagnostics) {
    if (!overlaps(diagnostic.span, range)) continue;
    (diagnostic.fixes ?? []).forEach((fix, position) => {
      actions.push({
        title: fix.title,
        diagnosticCode: diagnostic.code,
        diagnosticSpan: diagnostic.span,
        edits: fix.edits.map((edit) => ({ span: edit.span, newText: edit.newText })),
        preferred: position === 0 && (diagnostic.fixes?.length ?? 0) === 1,
      });
    });
  }
  return actions;
}
