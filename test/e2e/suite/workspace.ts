/** Helpers the editor tests share: the test workspace, its documents and the extension under test. */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { DoneParams, EpochMetrics, HistoryRun, PanelState } from "../../../server/src/protocol";

export const extensionId = "nnet-lab.nnet-lab";

/** The public surface `activate` returns (client/src/extension.ts). */
export interface NNetLabApi {
  readonly client: {
    readonly clientOptions: { documentSelector?: unknown };
    readonly name: string;
    isRunning(): boolean;
  };
  readonly ready: Promise<boolean>;
  readonly output: vscode.OutputChannel;
  readonly jobs: NNetJobsApi;
  readonly models: NNetModelsApi;
  readonly notices: { readonly onDidShow: vscode.Event<{ severity: "info" | "warning" | "error"; message: string; actions: string[] }> };
  readonly panel: { state(): PanelState | undefined; readonly onDidListRuns: vscode.Event<HistoryRun[]> };
}

/** Saved models as the extension shows them (client/src/extension.ts). */
export interface NNetModelsApi {
  page(uri: vscode.Uri): string | undefined;
  readonly onDidDraw: vscode.Event<vscode.Uri>;
  readonly onDidRefuse: vscode.Event<{ method: string; message: string; noRun: boolean }>;
}

/** A run as the extension tracks it (client/src/jobs.ts). */
export interface NNetJob {
  readonly jobId: string;
  readonly kind: "train" | "gradcheck";
  readonly uri: string;
  readonly network: string;
  readonly epochs: number;
  readonly latest?: EpochMetrics;
  readonly done?: DoneParams;
}

export interface NNetJobsApi {
  readonly onDidStart: vscode.Event<NNetJob>;
  readonly onDidFinish: vscode.Event<{ job: NNetJob; params: DoneParams }>;
  readonly onDidProgress: vscode.Event<{ job: NNetJob; params: unknown }>;
  finished(jobId: string): Promise<DoneParams>;
  running(): NNetJob[];
  last(): NNetJob | undefined;
  readonly onDidShowProgress: vscode.Event<{ jobId: string; message: string }>;
}

export function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "the editor tests need a workspace folder (test/e2e/run.mjs opens one)");
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Opens a file of the test workspace in an editor. */
export async function openWorkspaceFile(...segments: string[]): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(...segments));
  return vscode.window.showTextDocument(document);
}

/** Opens an untitled .nnet document with the given text. */
export async function openNNet(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: "nnet", content });
  const editor = await vscode.window.showTextDocument(document);
  editor.options = { tabSize: 2, insertSpaces: true };
  return editor;
}

export function extension(): vscode.Extension<NNetLabApi> {
  const found = vscode.extensions.getExtension<NNetLabApi>(extensionId);
  assert.ok(found, `extension ${extensionId} is not loaded`);
  return found;
}

/** Resolves with the first value of `event` that satisfies `condition` (checked at once with `now`, when given). */
export function nextEvent<T>(event: vscode.Event<T>, condition: (value: T) => boolean, description: string, timeoutMs = 60_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}`));
    }, timeoutMs);
    const subscription = event((value) => {
      if (!condition(value)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

/** Resolves once `holds()` is true, re-checking it on each `event`. */
export async function whenTrue(event: vscode.Event<unknown>, holds: () => boolean, description: string, timeoutMs = 10_000): Promise<void> {
  if (holds()) return;
  await nextEvent(event, () => holds(), description, timeoutMs);
}

/** Polls until the condition holds; fails with the description after the timeout. */
export async function waitFor(description: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Closes every editor, discarding edits, so no "save changes?" dialog blocks the next test. */
export async function closeAllEditors(): Promise<void> {
  for (let open = 0; open < 50 && vscode.window.visibleTextEditors.length > 0; open++) {
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  }
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
}

/** Writes a file into the test workspace (a throwaway copy) and opens it. */
export async function writeWorkspaceFile(name: string, content: string): Promise<vscode.TextEditor> {
  await vscode.workspace.fs.writeFile(workspaceUri(name), new TextEncoder().encode(content));
  return openWorkspaceFile(name);
}

/** The text of every hover at a position, joined. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", uri, position);
  return hovers.flatMap((hover) => hover.contents.map((part) => (typeof part === "string" ? part : part.value))).join("\n");
}

/** The position just inside the first occurrence of `text` (plus `offset` characters). */
export function positionOf(document: vscode.TextDocument, text: string, offset = 1): vscode.Position {
  const at = document.getText().indexOf(text);
  assert.ok(at >= 0, `'${text}' is not in ${document.uri.toString()}`);
  return document.positionAt(at + offset);
}

export const codeOf = (diagnostic: vscode.Diagnostic): string | number | undefined =>
  typeof diagnostic.code === "object" ? diagnostic.code.value : diagnostic.code;
