/** FileAccess over Node's fs, for the CLI and the language server. */
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { FileAccess } from "../language/index";

interface Cached {
  mtimeMs: number;
  size: number;
  text: string;
}

/** Reads files, re-reading one only when its modification time or size changed. */
export function nodeFiles(): FileAccess {
  const cache = new Map<string, Cached>();
  return {
    readFile(path) {
      try {
        const stat = statSync(path);
        if (!stat.isFile()) return undefined;
        const hit = cache.get(path);
        if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.text;
        const text = readFileSync(path, "utf8");
        cache.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, text });
        return text;
      } catch {
        return undefined;
      }
    },
    resolve(from, relative) {
      return resolve(from ? dirname(from) : process.cwd(), relative);
    },
  };
}
