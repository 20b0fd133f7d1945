/**
 * The notifications the extension shows, through one place, so that the
 * editor tests can read what the user was told and which buttons they had.
 */
import * as vscode from "vscode";

export type NoticeSeverity = "info" | "warning" | "error";

export interface Notice {
  severity: NoticeSeverity;
  message: string;
  actions: string[];
}

export class Notices implements vscode.Disposable {
  private readonly shown = new vscode.EventEmitter<Notice>();
  readonly onDidShow = this.shown.event;

  /** Shows a notification; resolves with the button the user chose. */
  show(severity: NoticeSeverity, message: string, ...actions: string[]): Thenable<string | undefined> {
    this.shown.fire({ severity, message, actions });
    if (severity === "error") return vscode.window.showErrorMessage(message, ...actions);
    if (severity === "warning") return vscode.window.showWarningMessage(message, ...actions);
    return vscode.window.showInformationMessage(message, ...actions);
  }

  dispose(): void {
    this.shown.dispose();
  }
}
