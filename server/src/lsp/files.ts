/**
 * The language core's view of the disk (it does no I/O itself): CSV data
 * next to the .nnet file. Re-checking on every keystroke would re-read the
 * data each time, so a file's text is kept until its size or mtime changes.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { FileAccess } from "../language/index";
import { checkDataFile, DataFileError, type WorkspaceFiles } from "../training/index";

interface Cached {
  mtimeMs: number;
  size: number;
  text: string;
}

const cache = new Map<string, Cached>();
const MAX_CACHED = 32;

function read(path: string): string | undefined {
  try {
    const stat = statSync(path);
    const cached = cache.get(path);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.text;
    const text = readFileSync(path, "utf8");
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, text });
    return text;
  } catch {
    cache.delete(path);
    return undefined;
  }
}

export const diskFiles: FileAccess = {
  readFile: read,
  resolve(from, relative) {
    if (isAbsolute(relative)) return relative;
    return resolve(from ? dirname(from) : process.cwd(), relative);
  },
};

// The refusal for a file that may not be read; a missing file keeps the checker's own message,
// unless no file may be read at all.
function refusal(path: string, options: WorkspaceFiles): string | undefined {
  try {
    if (!options.noDataFiles || options.allowOutsideWorkspace) statSync(path);
    checkDataFile(path, path, options);
    return undefined;
  } catch (failure) {
    return failure instanceof DataFileError ? failure.message : undefined;
  }
}

/**
 * diskFiles under the rules training applies (training/data-files.ts): a .nnet file is
 * untrusted, so its checker may not show the columns or rows of a file it may not read.
 */
export function workspaceFiles(options: WorkspaceFiles): FileAccess {
  if (options.allowOutsideWorkspace) return diskFiles;
  return {
    readFile: (path) => (refusal(path, options) === undefined ? read(path) : undefined),
    whyUnreadable: (path) => refusal(path, options),
    resolve: diskFiles.resolve,
  };
}
