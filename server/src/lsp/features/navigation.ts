import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { location } from "../convert";

export function registerNavigation(context: ServerContext): void {
  context.connection.onDefinition(({ textDocument, position }) => answer(context, textDocument.uri, null, (document, text) => {
    const span = ide.definition(document, text.offsetAt(position));
    return span ? location(text, span) : null;
  }));
  context.connection.onReferences(({ textDocument, position, context: request }) => answer(context, textDocument.uri, [], (document, text) =>
    ide.references(document, text.offsetAt(position), request.includeDeclaration).map((span) => location(text, span))));
}
