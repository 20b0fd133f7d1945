import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { completionList } from "../convert";

// '"' and '[' open a CSV column name or a list of them
export const completionTriggers = [" ", "(", ",", ":", '"', "["];

export function registerCompletion(context: ServerContext): void {
  context.connection.onCompletion(({ textDocument, position, context: request }) => answer(context, textDocument.uri, null, (document, text) => {
    // a space typed while indenting is not a request for the entry keywords
    const before = text.getText({ start: { line: position.line, character: 0 }, end: position });
    if (request?.triggerCharacter === " " && before.trim().length === 0) return null;
    return completionList(text, ide.completion(document, text.offsetAt(position)));
  }));
}
