/** The client's workspace folders: CSV data a job reads must stay inside the document's folder. */
import type { InitializeParams } from "vscode-languageserver/node";
import { pathOfUri } from "./convert";

export class WorkspaceFolders {
  private roots: string[] = [];

  set(params: InitializeParams): void {
    const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.roots = uris.flatMap((uri) => pathOfUri(uri) ?? []).sort((a, b) => b.length - a.length);
  }

  /** The innermost folder holding `path`; undefined lets the runner use the document's own folder. */
  rootOf(path: string | undefined): string | undefined {
    if (!path) return undefined;
    return this.roots.find((root) => path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`));
  }
}
