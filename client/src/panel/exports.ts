/** Saving what the panel exports: the user picks the file, the bytes are written through workspace.fs. */
import * as vscode from "vscode";

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The bytes of a `data:image/png;base64,` URL, or undefined when they are not a PNG. */
export function pngBytes(dataUrl: string): Uint8Array | undefined {
  const prefix = "data:image/png;base64,";
  if (!dataUrl.startsWith(prefix)) return undefined;
  const bytes = Buffer.from(dataUrl.slice(prefix.length), "base64");
  return pngSignature.every((byte, i) => bytes[i] === byte) ? new Uint8Array(bytes) : undefined;
}

/** A file name stem built from user-visible names: letters, digits, dot, dash, underscore. */
export function fileStem(...parts: (string | undefined)[]): string {
  const stem = parts.filter((p): p is string => !!p).join("-").replace(/[^\w.-]+/g, "_").replace(/^\.+/, "");
  return stem.slice(0, 100) || "nnet";
}

export interface SaveRequest {
  fileName: string;
  /** the document the run came from, so the dialog opens beside it */
  near?: vscode.Uri;
  filters: Record<string, string[]>;
  bytes: Uint8Array;
}

/** Asks where to save and writes the file; resolves to the saved location, or undefined when the user cancelled. */
export async function saveWithDialog(request: SaveRequest): Promise<vscode.Uri | undefined> {
  const folder = request.near ? vscode.Uri.joinPath(request.near, "..") : vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, request.fileName) : undefined,
    filters: request.filters,
    saveLabel: "Export",
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, request.bytes);
  return target;
}
