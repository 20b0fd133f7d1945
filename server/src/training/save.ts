/**
 * Writing files atomically (ARCHITECTURE invariant 5). The bytes go to a
 * temporary file in the target's own folder (so the rename stays on one file
 * system), are flushed with fsync, and only then renamed over the target:
 * a crash at any point leaves either the old file or the new one, whole.
 */
import { accessSync, closeSync, constants, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export interface WriteHooks {
  /** called after the temporary file is flushed and before the rename (tests inject a crash here) */
  beforeRename?(temporary: string): void;
}

// The temporaries being written now, so a signal handler can remove them before the process ends.
const live = new Set<string>();

/** Removes every temporary still being written; answers those that could not be removed. */
export function removeTemporaries(): string[] {
  const left: string[] = [];
  for (const temporary of live) {
    try { unlinkSync(temporary); } catch (failure) {
      if ((failure as NodeJS.ErrnoException).code !== "ENOENT") left.push(temporary);
    }
    live.delete(temporary);
  }
  return left;
}

/** A file being written atomically: nothing shows at `path` until commit. */
export interface AtomicFile {
  write(chunk: string | Uint8Array): void;
  /** flushes, renames over the target and flushes its folder */
  commit(): void;
  /** removes the temporary; the target is left as it was */
  abort(): void;
}

/** Opens the temporary beside `path` for a write that may come in many chunks (a streamed output). */
export function openAtomic(path: string, hooks: WriteHooks = {}): AtomicFile {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = openSync(temporary, "wx", 0o644);
  live.add(temporary);
  let open = true;
  const close = (): void => {
    if (open) closeSync(fd);
    open = false;
  };
  const abort = (): void => {
    close();
    try { unlinkSync(temporary); } catch { /* already gone */ }
    live.delete(temporary);
  };
  return {
    write: (chunk) => writeAll(fd, typeof chunk === "string" ? Buffer.from(chunk) : chunk),
    abort,
    commit() {
      try {
        fsyncSync(fd);
        close();
        hooks.beforeRename?.(temporary);
        renameSync(temporary, path);
      } catch (failure) {
        abort();
        throw failure;
      }
      live.delete(temporary);
      try {
        // the rename itself is durable once the folder is flushed
        const dir = openSync(dirname(path), "r");
        try { fsyncSync(dir); } finally { closeSync(dir); }
      } catch { /* some file systems cannot fsync a folder */ }
    },
  };
}

/** Writes `content` (text, or bytes chunk by chunk) to `path` atomically. */
export function writeFileAtomic(path: string, content: string | Iterable<Uint8Array>, hooks: WriteHooks = {}): void {
  const file = openAtomic(path, hooks);
  try {
    if (typeof content === "string") file.write(content);
    else for (const chunk of content) file.write(chunk);
  } catch (failure) {
    file.abort();
    throw failure;
  }
  file.commit();
}

// writeSync may write less than asked
function writeAll(fd: number, chunk: Uint8Array): void {
  for (let done = 0; done < chunk.byteLength;) done += writeSync(fd, chunk, done, chunk.byteLength - done);
}

/** What may be replaced at a path the tool writes: files of its own kind, never anything else. */
export interface TargetRule {
  /** ".nnetmodel", ".onnx" */
  extension: string;
  /** "model", "ONNX model" */
  what: string;
  isOwn(path: string): boolean;
}

/** Why `path` may not be written under `rule` (checked before any work starts), or undefined. */
export function targetProblem(path: string, rule: TargetRule): string | undefined {
  const target = resolve(path);
  if (!target.endsWith(rule.extension)) return `${path}: ${rule.what} files are named NAME${rule.extension}`;
  let existing: ReturnType<typeof statSync> | undefined;
  try { existing = statSync(target); } catch { existing = undefined; }
  if (existing?.isDirectory()) return `${path}: is a folder; give the path of the ${rule.extension} file to write`;
  if (existing && !existing.isFile()) return `${path}: is not a regular file (a device, pipe or socket)`;
  if (existing && !rule.isOwn(target)) return `${path}: exists and is not a${/^[aeiouAEIOU]/.test(rule.what) ? "n" : ""} ${rule.what} file; it is left as it is (choose another name or remove it)`;
  const folder = dirname(target);
  let folderOk = false;
  try { folderOk = statSync(folder).isDirectory(); } catch { folderOk = false; }
  if (!folderOk) return `${path}: the folder ${folder} does not exist`;
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    return `${path}: the folder ${folder} is not writable`;
  }
  return undefined;
}
