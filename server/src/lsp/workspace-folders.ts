/** The client's workspace folders: a document's data must lie inside the folder that holds it. */
import type { InitializeParams } from "vscode-languageserver/node";
import { pathOfUri } from "./convert";

export class WorkspaceFolders {
  private roots: string[] = [];

  set(params: InitializeParams): void {
    const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.roots = uris.flatMap((uri) => pathOfUri(uri) ?? []).sort((a, b) => b.length - a.length);
  }

  /** The innermost folder holding `path`; undefined when none does (see data-policy.ts). */
  rootOf(path: string | undefined): string | undefined {
    if (!path) return undefined;
    return this.roots.find((root) => path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`));
  }
}
