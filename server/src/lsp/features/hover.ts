import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { hover } from "../convert";

export function registerHover(context: ServerContext): void {
  context.connection.onHover(({ textDocument, position }) => answer(context, textDocument.uri, null, (document, text) => {
    const found = ide.hover(document, text.offsetAt(position), context.runs.runs(textDocument.uri));
    return found ? hover(text, found) : null;
  }));
}
