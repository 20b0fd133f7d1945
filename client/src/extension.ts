import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { startLanguageClient, type RunningLanguageClient } from "./client";

/** What `activate` returns: the running pieces, for the editor tests and for later features. */
export interface NNetLabApi {
  readonly client: LanguageClient;
  /** Resolves true once the language server is running, false if it could not be started. */
  readonly ready: Promise<boolean>;
  readonly output: vscode.OutputChannel;
}

let running: RunningLanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): NNetLabApi {
  const output = vscode.window.createOutputChannel("NNet Lab");
  context.subscriptions.push(output);
  running = startLanguageClient(context, output);
  return { client: running.client, ready: running.ready, output };
}

export async function deactivate(): Promise<void> {
  const client = running?.client;
  running = undefined;
  if (client?.needsStop()) await client.stop();
}
