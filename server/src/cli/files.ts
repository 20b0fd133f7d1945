/** Reading the .nnet files named on the command line. */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";

export type Loaded = { ok: true; path: string; text: string } | { ok: false; message: string };

export function loadSource(file: string): Loaded {
  const path = resolve(file);
  try {
    if (statSync(path).isDirectory()) return { ok: false, message: `${file}: is a folder, not a .nnet file` };
    return { ok: true, path, text: readFileSync(path, "utf8") };
  } catch (failure) {
    const code = (failure as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : failure instanceof Error ? failure.message : String(failure);
    return { ok: false, message: `${file}: cannot read: ${why}` };
  }
}
