/** The client's workspace folders: a document's data must lie inside the folder that holds it. */
import type { InitializeParams, WorkspaceFoldersChangeEvent } from "vscode-languageserver/node";
import { pathOfUri } from "./convert";

export class WorkspaceFolders {
  private roots: string[] = [];

  set(params: InitializeParams): void {
    const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.roots = innermostFirst(paths(uris));
  }

  /** Folders added or removed after initialize (workspace/didChangeWorkspaceFolders). */
  change(event: WorkspaceFoldersChangeEvent): void {
    const removed = new Set(paths(event.removed.map((folder) => folder.uri)));
    this.roots = innermostFirst([...this.roots.filter((root) => !removed.has(root)), ...paths(event.added.map((folder) => folder.uri))]);
  }

  /** The innermost folder holding `path`; undefined when none does (see data-policy.ts). */
  rootOf(path: string | undefined): string | undefined {
    if (!path) return undefined;
    return this.roots.find((root) => path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`));
  }
}

const paths = (uris: string[]): string[] => uris.flatMap((uri) => pathOfUri(uri) ?? []);

/** so that `rootOf` finds the nearest folder */
const innermostFirst = (roots: string[]): string[] => [...new Set(roots)].sort((a, b) => b.length - a.length);
