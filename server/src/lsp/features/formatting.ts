import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { textEdit } from "../convert";

export function registerFormatting(context: ServerContext): void {
  context.connection.onDocumentFormatting(({ textDocument }) => answer(context, textDocument.uri, [], (document, text) =>
    ide.format(document).map((edit) => textEdit(text, edit))));
}
