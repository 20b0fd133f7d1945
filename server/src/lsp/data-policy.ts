/**
 * Which data files a document may read: one rule for its diagnostics,
 * hovers, summary and training. A file inside a workspace folder reads data
 * inside that folder; an untitled document, or a file outside every
 * workspace folder, reads none. `nnet.data.allowOutsideWorkspace` lifts both.
 */
import { dirname } from "node:path";
import type { FileAccess } from "../language/index";
import type { WorkspaceFiles } from "../training/index";
import { pathOfUri } from "./convert";
import { workspaceFiles } from "./files";
import type { WorkspaceFolders } from "./workspace-folders";

const howToAllow = "set nnet.data.allowOutsideWorkspace to allow it";

export class DataPolicy {
  allowOutsideWorkspace = false;

  constructor(private readonly folders: WorkspaceFolders) {}

  options(uri: string): WorkspaceFiles {
    const path = pathOfUri(uri);
    const own = path ? dirname(path) : process.cwd();
    if (this.allowOutsideWorkspace) return { root: own, allowOutsideWorkspace: true };
    const root = this.folders.rootOf(path);
    if (root) return { root };
    const why = path
      ? `${path} lies outside every workspace folder, and such a file reads no data file; open its folder as a workspace folder, or ${howToAllow}`
      : `an untitled document reads no data file; save it in a workspace folder, or ${howToAllow}`;
    return { root: own, noDataFiles: why };
  }

  files(uri: string): FileAccess {
    return workspaceFiles(this.options(uri));
  }
}
