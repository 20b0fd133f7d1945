import type { Connection } from "vscode-languageserver/node";
import type { IdeDocument } from "../language/ide/index";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { DocumentStore } from "./documents";
import type { RunStore, TrainingRunner } from "../training/index";
import type { Settings } from "./settings";

/** What every feature provider is given. */
export interface ServerContext {
  connection: Connection;
  store: DocumentStore;
  /** what runs left: the one owner of run state */
  runs: RunStore;
  settings: Settings;
  /** runs jobs, and keeps nothing of them */
  runner: TrainingRunner;
  /** recompute and publish one document's diagnostics now */
  publish(uri: string): void;
}

/**
 * Runs a provider on a document's current analysis. A missing document or
 * a provider failure answers `fallback` (logged), never an LSP error.
 */
export function answer<T>(
  context: ServerContext, uri: string, fallback: T, provider: (document: IdeDocument, text: TextDocument) => T,
): T {
  const text = context.store.text(uri);
  const document = context.store.ide(uri);
  if (!text || !document) return fallback;
  try {
    return provider(document, text);
  } catch (error) {
    context.connection.console.error(`nnet: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return fallback;
  }
}
