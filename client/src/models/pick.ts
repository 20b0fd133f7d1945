/** Which model Predict uses: the one just saved, the one open in the model viewer, or one the user chooses. */
import * as vscode from "vscode";
import { modelViewType } from "./viewer";

interface ModelItem extends vscode.QuickPickItem {
  uri?: vscode.Uri;
}

function openInViewer(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType === modelViewType ? input.uri : undefined;
}

export async function pickModel(lastSaved: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const candidates = [openInViewer(), lastSaved].filter((uri, i, all): uri is vscode.Uri => !!uri && all.findIndex((other) => other?.toString() === uri.toString()) === i);
  const choose = async () => (await vscode.window.showOpenDialog({ title: "NNet: the model to predict with", openLabel: "Use Model", filters: { "NNet model": ["nnetmodel"] }, canSelectMany: false }))?.[0];
  if (candidates.length === 0) return choose();
  const items: ModelItem[] = [
    ...candidates.map((uri) => ({ label: `$(file-binary) ${uri.path.split("/").pop()}`, description: vscode.workspace.asRelativePath(uri), uri })),
    { label: "$(folder-opened) Choose a model file…" },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: "NNet: predict with which model?" });
  if (!picked) return undefined;
  return picked.uri ?? choose();
}
