/**
 * Opening a .nnetmodel shows what it holds (nnet/modelSummary) instead of its
 * bytes: a read-only custom editor with a static page, redrawn when the file
 * changes on disk.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { ModelSummaryRequest } from "../../../server/src/protocol";
import { sendRequest } from "../messages";
import { createNonce } from "../panel";
import { errorPage, modelPage } from "./view-html";

export const modelViewType = "nnet.modelViewer";

export class ModelViewer implements vscode.CustomReadonlyEditorProvider {
  /** each open model's page as last drawn, for the editor tests */
  private readonly pages = new Map<string, string>();
  private readonly drawn = new vscode.EventEmitter<vscode.Uri>();
  /** fires after a model's page has been (re)drawn */
  readonly onDidDraw = this.drawn.event;

  constructor(private readonly client: LanguageClient, private readonly ready: Promise<boolean>) {}

  static register(viewer: ModelViewer): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(modelViewType, viewer, { supportsMultipleEditorsPerDocument: true });
  }

  page(uri: vscode.Uri): string | undefined {
    return this.pages.get(uri.toString());
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => this.pages.delete(uri.toString()) };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: false, enableCommandUris: false, localResourceRoots: [] };
    let disposed = false;
    const draw = async (): Promise<void> => {
      const html = await this.render(document.uri);
      if (disposed) return;
      panel.webview.html = html;
      this.pages.set(document.uri.toString(), html);
      this.drawn.fire(document.uri);
    };
    const folder = vscode.Uri.joinPath(document.uri, "..");
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, document.uri.path.split("/").pop()!));
    const redraw = () => void draw();
    watcher.onDidChange(redraw);
    watcher.onDidCreate(redraw);
    panel.onDidDispose(() => {
      disposed = true;
      watcher.dispose();
    });
    await draw();
  }

  private async render(uri: vscode.Uri): Promise<string> {
    const file = vscode.workspace.asRelativePath(uri);
    const nonce = createNonce();
    if (uri.scheme !== "file") return errorPage(file, "only model files on disk can be shown", nonce);
    if (!(await this.ready)) return errorPage(file, "the NNet language server is not running (see the NNet Lab output)", nonce);
    try {
      const model = await sendRequest(this.client, ModelSummaryRequest, { path: uri.fsPath });
      return modelPage(model, file, nonce);
    } catch (error) {
      return errorPage(file, error instanceof Error ? error.message : String(error), nonce);
    }
  }
}
