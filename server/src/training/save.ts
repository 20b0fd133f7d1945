/**
 * Writing files atomically (ARCHITECTURE invariant 5). The bytes go to a
 * temporary file in the target's own folder (so the rename stays on one file
 * system), are flushed with fsync, and only then renamed over the target:
 * a crash at any point leaves either the old file or the new one, whole.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export interface WriteHooks {
  /** called after the temporary file is flushed and before the rename (tests inject a crash here) */
  beforeRename?(temporary: string): void;
}

/** Writes `content` (text, or bytes in chunks that are never joined) to `path` atomically. */
export function writeFileAtomic(path: string, content: string | readonly Uint8Array[], hooks: WriteHooks = {}): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = openSync(temporary, "wx", 0o644);
  try {
    try {
      if (typeof content === "string") writeSync(fd, content);
      else for (const chunk of content) writeChunk(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.beforeRename?.(temporary);
    renameSync(temporary, path);
  } catch (failure) {
    try { unlinkSync(temporary); } catch { /* already gone */ }
    throw failure;
  }
  try {
    // the rename itself is durable once the folder is flushed
    const dir = openSync(dirname(path), "r");
    try { fsyncSync(dir); } finally { closeSync(dir); }
  } catch { /* some file systems cannot fsync a folder */ }
}

function writeChunk(fd: number, chunk: Uint8Array): void {
  let done = 0;
  while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
}
