/**
 * Sending a model request with a progress notification, and reading the
 * server's refusal: its message as the user should see it, and whether it is
 * "no run to save" (NoRunData), which the commands answer by offering Train.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import type { NoRunData, RequestType } from "../../../server/src/protocol";
import { sendRequest } from "../messages";

export class RequestRefused extends Error {
  constructor(message: string, readonly noRun: boolean, readonly cancelled = false) {
    super(message);
  }
}

// the user pressed Cancel and the server stopped: the client says so with CancellationError (LSP's RequestCancelled, -32800, underneath)
const wasCancelled = (error: unknown): boolean => error instanceof vscode.CancellationError || (error as { code?: unknown } | undefined)?.code === -32800;

function refusal(error: unknown): RequestRefused {
  const message = error instanceof Error ? error.message : String(error);
  const data = (error as { data?: Partial<NoRunData> } | undefined)?.data;
  return new RequestRefused(message, data?.noRun === true, wasCancelled(error));
}

/** Sends a request while a notification says `title` (with a Cancel button when the server honours it); rejects with RequestRefused. */
export async function withProgress<P, R>(client: LanguageClient, title: string, type: RequestType<P, R>, params: NoInfer<P>, cancellable = false): Promise<R> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, (_progress, token) => sendRequest(client, type, params, token));
  } catch (error) {
    throw refusal(error);
  }
}

/** The file system path of a file argument (a Uri, a path or a file: URI string); the server reads files on disk only. */
export function diskPath(value: unknown): string | undefined {
  if (value instanceof vscode.Uri) return value.scheme === "file" ? value.fsPath : undefined;
  if (typeof value !== "string" || value.length === 0) return undefined;
  if (value.startsWith("file:")) return vscode.Uri.parse(value).fsPath;
  return /^[a-z][\w+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value) ? undefined : value;
}

/** A notification whose buttons act later: a command never waits for the user to dismiss a message. */
export function offer(show: Thenable<string | undefined>, actions: Record<string, () => unknown>): void {
  void Promise.resolve(show).then((choice) => (choice ? actions[choice]?.() : undefined));
}

/** Shows a file: "Reveal" in the OS file manager, "Open" in the editor. */
export function revealOrOpen(message: string, file: vscode.Uri, open: vscode.Uri = file): void {
  offer(vscode.window.showInformationMessage(message, "Reveal", "Open"), {
    Reveal: () => vscode.commands.executeCommand("revealFileInOS", file),
    Open: () => vscode.commands.executeCommand("vscode.open", open),
  });
}
