import { ResponseError, ErrorCodes } from "vscode-languageserver/node";
import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { range, textEdit } from "../convert";

export function registerRename(context: ServerContext): void {
  context.connection.onPrepareRename(({ textDocument, position }) => answer(context, textDocument.uri, null, (document, text) => {
    const target = ide.prepareRename(document, text.offsetAt(position));
    return target ? { range: range(text, target.span), placeholder: target.placeholder } : null;
  }));
  context.connection.onRenameRequest(({ textDocument, position, newName }) => {
    const result = answer(context, textDocument.uri, undefined, (document, text) => {
      const renamed = ide.rename(document, text.offsetAt(position), newName);
      return "error" in renamed ? renamed : { changes: { [textDocument.uri]: renamed.edits.map((edit) => textEdit(text, edit)) } };
    });
    if (result && "error" in result) return new ResponseError(ErrorCodes.InvalidParams, result.error);
    return result ?? null;
  });
}
