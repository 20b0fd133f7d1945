import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { range } from "../convert";

export function registerCodeLens(context: ServerContext): void {
  context.connection.onCodeLens(({ textDocument }) => answer(context, textDocument.uri, [], (document, text) =>
    ide.codeLenses(document).map((lens) => ({
      range: range(text, lens.span),
      command: { title: lens.title, command: lens.command, arguments: lens.arguments },
    }))));
}
