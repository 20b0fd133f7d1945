/**
 * Which documents the language server has published diagnostics for since
 * they were opened. An empty publish changes nothing VS Code can see, so
 * this is the one signal that a clean document has been checked.
 */
import * as vscode from "vscode";
import type { Middleware } from "vscode-languageclient/node";

export class PublishedDiagnostics implements vscode.Disposable {
  private readonly published = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  /** each publishDiagnostics from the server, after VS Code has been given it */
  readonly onDidPublish = this.emitter.event;

  readonly middleware: Middleware = {
    didOpen: (document, next) => {
      this.published.delete(document.uri.toString());
      return next(document);
    },
    handleDiagnostics: (uri, diagnostics, next) => {
      next(uri, diagnostics);
      this.published.add(uri.toString());
      this.emitter.fire(uri);
    },
  };

  /** Whether the document's diagnostics have been published since it was (last) opened. */
  has(uri: vscode.Uri): boolean {
    return this.published.has(uri.toString());
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
