/** Helpers the editor tests share: the test workspace, its documents and the extension under test. */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { NNetLabApi } from "../../../client/src/extension";

export type { NNetJobsApi, NNetLabApi, NNetModelsApi } from "../../../client/src/extension";
export type { Job as NNetJob } from "../../../client/src/jobs";

export const extensionId = "nnet-lab.nnet-lab";

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

/** Resolves once the document's diagnostics satisfy `holds`, re-checking them each time VS Code's diagnostics change. */
export function whenDiagnostics(uri: vscode.Uri, holds: (diagnostics: vscode.Diagnostic[]) => boolean, description: string, timeoutMs = 15_000): Promise<void> {
  return whenTrue(vscode.languages.onDidChangeDiagnostics, () => holds(vscode.languages.getDiagnostics(uri)), description, timeoutMs);
}

/** Resolves once the server has published the document's diagnostics (an empty publish included) since it was opened. */
export function whenChecked(uri: vscode.Uri, timeoutMs = 15_000): Promise<void> {
  const { diagnostics } = extension().exports;
  return whenTrue(diagnostics.onDidPublish, () => diagnostics.published(uri), `the server's diagnostics of ${uri.path}`, timeoutMs);
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
