/**
 * The language core's view of the disk (it does no I/O itself): CSV data
 * next to the .nnet file. Re-checking on every keystroke would re-read the
 * data each time, so a file's text is kept until its size or mtime changes.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { FileAccess } from "../language/index";
import { checkDataFile, DataFileError } from "../training/index";

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

// The refusal for a file that exists but may not be read; a missing file keeps the checker's own message.
function refusal(path: string, root: string): string | undefined {
  try {
    statSync(path);
    checkDataFile(path, path, { root });
    return undefined;
  } catch (failure) {
    return failure instanceof DataFileError ? failure.message : undefined;
  }
}

/**
 * diskFiles confined to a workspace, as training is (training/data-files.ts): a .nnet
 * file is untrusted, so its checker may not show the columns or rows of a file elsewhere.
 */
export function workspaceFiles(root: string): FileAccess {
  return {
    readFile: (path) => (refusal(path, root) === undefined ? read(path) : undefined),
    whyUnreadable: (path) => refusal(path, root),
    resolve: diskFiles.resolve,
  };
}
