import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { inlayHint, spanOf } from "../convert";

export function registerInlayHints(context: ServerContext): void {
  context.connection.languages.inlayHint.on(async ({ textDocument, range }) => {
    const settings = await context.settings.forDocument(textDocument.uri);
    if (!settings.inlayHints.enabled) return [];
    return answer(context, textDocument.uri, [], (document, text) =>
      ide.inlayHints(document, spanOf(text, range), context.runs.runs(textDocument.uri)).map((hint) => inlayHint(text, hint)));
  });
}
