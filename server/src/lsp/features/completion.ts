import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { completionList } from "../convert";

export const completionTriggers = [" ", "(", ",", ":"];

export function registerCompletion(context: ServerContext): void {
  context.connection.onCompletion(({ textDocument, position }) => answer(context, textDocument.uri, null, (document, text) =>
    completionList(text, ide.completion(document, text.offsetAt(position)))));
}
