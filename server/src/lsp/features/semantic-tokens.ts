import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { semanticTokens } from "../convert";

export function registerSemanticTokens(context: ServerContext): void {
  context.connection.languages.semanticTokens.on(({ textDocument }) => answer(context, textDocument.uri, { data: [] }, (document, text) =>
    semanticTokens(text, ide.semanticTokens(document))));
}
