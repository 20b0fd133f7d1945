import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { documentSymbol } from "../convert";

export function registerSymbols(context: ServerContext): void {
  context.connection.onDocumentSymbol(({ textDocument }) => answer(context, textDocument.uri, [], (document, text) =>
    ide.documentSymbols(document).map((symbol) => documentSymbol(text, symbol))));
}
