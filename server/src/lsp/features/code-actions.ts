import * as lsp from "vscode-languageserver/node";
import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { spanOf, textEdit } from "../convert";

export function registerCodeActions(context: ServerContext): void {
  context.connection.onCodeAction(({ textDocument, range: wanted, context: request }) =>
    answer(context, textDocument.uri, [], (document, text) => ide.codeActions(document, spanOf(text, wanted)).map((action): lsp.CodeAction => {
      // the client's own diagnostic objects, so it can tie the fix to the squiggle it shows
      const fixes = request.diagnostics.filter((item) => item.code === action.diagnosticCode
        && (!action.diagnosticSpan || text.offsetAt(item.range.start) === action.diagnosticSpan.start));
      return {
        title: action.title,
        kind: lsp.CodeActionKind.QuickFix,
        isPreferred: action.preferred,
        ...(fixes.length > 0 ? { diagnostics: fixes } : {}),
        edit: { changes: { [textDocument.uri]: action.edits.map((edit) => textEdit(text, edit)) } },
      };
    })));
}
