import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { completionList } from "../convert";

// '"' and '[' open a CSV column name or a list of them
const columnTriggers = new Set(['"', "["]);
export const completionTriggers = [" ", "(", ",", ":", ...columnTriggers];

export function registerCompletion(context: ServerContext): void {
  context.connection.onCompletion(({ textDocument, position, context: request }) => answer(context, textDocument.uri, null, (document, text) => {
    // a space typed while indenting is not a request for the entry keywords
    const before = text.getText({ start: { line: position.line, character: 0 }, end: position });
    if (request?.triggerCharacter === " " && before.trim().length === 0) return null;
    const list = ide.completion(document, text.offsetAt(position));
    // a quote or bracket typed anywhere but at a CSV column (a path's closing quote) asks for nothing
    if (columnTriggers.has(request?.triggerCharacter ?? "") && !list.items.some((item) => item.kind === "column")) return null;
    return completionList(text, list);
  }));
}
