import * as lsp from "vscode-languageserver/node";
import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { range, spanOf, textEdit } from "../convert";

export function registerCodeActions(context: ServerContext): void {
  context.connection.onCodeAction(({ textDocument, range: wanted, context: request }) =>
    answer(context, textDocument.uri, [], (document, text) => {
      const actions = ide.codeActions(document, spanOf(text, wanted));
      return actions.map((action): lsp.CodeAction => {
        const fixed = request.diagnostics.filter((item) => item.code === action.diagnosticCode
          && (!action.diagnosticSpan || text.offsetAt(item.range.start) === action.diagnosticSpan.start));
        return {
          title: action.title,
          kind: lsp.CodeActionKind.QuickFix,
          isPreferred: action.preferred,
          ...(fixed.length > 0 ? { diagnostics: fixed } : action.diagnosticSpan && action.diagnosticCode
            ? { diagnostics: [{ range: range(text, action.diagnosticSpan), message: action.title, code: action.diagnosticCode }] } : {}),
          edit: { changes: { [textDocument.uri]: action.edits.map((edit) => textEdit(text, edit)) } },
        };
      });
    }));
}
