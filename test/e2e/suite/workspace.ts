/** Helpers the editor tests share: the test workspace, its documents and the extension under test. */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";

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
