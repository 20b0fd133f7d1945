/**
 * The language core's view of the disk (it does no I/O itself): CSV data
 * next to the .nnet file. Re-checking on every keystroke would re-read the
 * data each time, so a file's text is kept until its size or mtime changes.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { FileAccess } from "../language/index";

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
