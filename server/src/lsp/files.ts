/**
 * The language core's view of the disk (it does no I/O itself): CSV data
 * next to the .nnet file. Re-checking on every keystroke would re-read the
 * data each time, so a file's text is kept until its size or mtime changes.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { FileAccess } from "../language/index";
import { checkDataFile, DataFileError, headerWidth, widthProblem, type WorkspaceFiles } from "../training/index";

interface Cached {
  mtimeMs: number;
  size: number;
  text: string;
  /** why the checker may not use it: too many columns */
  tooWide?: string;
}

const cache = new Map<string, Cached>();
const MAX_CACHED = 32;

function load(path: string): Cached | undefined {
  try {
    const stat = statSync(path);
    const cached = cache.get(path);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
    const text = readFileSync(path, "utf8");
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    const tooWide = widthProblem(headerWidth(text), path);
    const fresh = { mtimeMs: stat.mtimeMs, size: stat.size, text, ...(tooWide ? { tooWide } : {}) };
    cache.set(path, fresh);
    return fresh;
  } catch {
    cache.delete(path);
    return undefined;
  }
}

// a file too wide reads as missing, and whyUnreadable says why (as training would refuse it)
const read = (path: string): string | undefined => {
  const loaded = load(path);
  return loaded && !loaded.tooWide ? loaded.text : undefined;
};

export const diskFiles: FileAccess = {
  readFile: read,
  whyUnreadable: (path) => load(path)?.tooWide,
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
    return load(path)?.tooWide;
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
