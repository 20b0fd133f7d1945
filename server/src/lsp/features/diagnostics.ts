import * as ide from "../../language/ide/index";
import { diagnostic } from "../convert";
import type { ServerContext } from "../context";

/** Publishes the language core's diagnostics plus the last run's, tagged with the version they describe. */
export function publishDiagnostics(context: ServerContext, uri: string): void {
  const text = context.store.text(uri);
  const document = context.store.ide(uri);
  if (!text || !document) return;
  let items: ide.IdeDiagnostic[] = [];
  try {
    items = ide.diagnostics(document, context.runs.runs(uri));
  } catch (error) {
    context.connection.console.error(`nnet: diagnostics failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  void context.connection.sendDiagnostics({ uri, version: text.version, diagnostics: items.map((item) => diagnostic(text, item)) });
}
