import * as ide from "../../language/ide/index";
import { answer, type ServerContext } from "../context";
import { foldingRange } from "../convert";

export function registerFolding(context: ServerContext): void {
  context.connection.onFoldingRanges(({ textDocument }) => answer(context, textDocument.uri, [], (document, text) =>
    ide.foldingRanges(document).map((item) => foldingRange(text, item)).filter((item) => item.endLine > item.startLine)));
}
