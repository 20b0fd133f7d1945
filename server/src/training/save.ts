/**
 * Saving a trained network: weights, standardisation and history as one JSON
 * file, written atomically (ARCHITECTURE invariant 5). The bytes go to a
 * temporary file in the target's own folder (so the rename stays on one file
 * system), are flushed with fsync, and only then renamed over the target:
 * a crash at any point leaves either the old file or the new one, whole.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { JobResult } from "./messages";

export interface SavedRun {
  format: "nnet-weights";
  version: 1;
  network: string;
  savedAt: string;
  data?: JobResult["data"];
  standardiser?: JobResult["standardiser"];
  weights: NonNullable<JobResult["weights"]>;
  history: JobResult["history"];
}

export function savedRun(result: JobResult, now = new Date()): SavedRun {
  if (!result.weights) throw new Error(`the ${result.kind} job of '${result.network}' has no weights to save`);
  return {
    format: "nnet-weights", version: 1, network: result.network, savedAt: now.toISOString(),
    ...(result.data ? { data: result.data } : {}), ...(result.standardiser ? { standardiser: result.standardiser } : {}),
    weights: result.weights, history: result.history,
  };
}

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

/** Writes `content` (text, or bytes chunk by chunk) to `path` atomically. */
export function writeFileAtomic(path: string, content: string | Iterable<Uint8Array>, hooks: WriteHooks = {}): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = openSync(temporary, "wx", 0o644);
  live.add(temporary);
  try {
    try {
      if (typeof content === "string") writeSync(fd, content);
      else for (const chunk of content) writeAll(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.beforeRename?.(temporary);
    renameSync(temporary, path);
  } catch (failure) {
    try { unlinkSync(temporary); } catch { /* already gone */ }
    throw failure;
  } finally {
    live.delete(temporary);
  }
  try {
    // the rename itself is durable once the folder is flushed
    const dir = openSync(dirname(path), "r");
    try { fsyncSync(dir); } finally { closeSync(dir); }
  } catch { /* some file systems cannot fsync a folder */ }
}

/** Writes a sequence of byte chunks (a binary model) to `path` atomically. */
export function writeChunksAtomic(path: string, chunks: Iterable<Uint8Array>, hooks?: WriteHooks): void {
  writeFileAtomic(path, chunks, hooks);
}

// writeSync may write less than asked
function writeAll(fd: number, chunk: Uint8Array): void {
  for (let done = 0; done < chunk.byteLength;) done += writeSync(fd, chunk, done, chunk.byteLength - done);
}

export function saveRun(path: string, result: JobResult, hooks?: WriteHooks): void {
  writeFileAtomic(path, JSON.stringify(savedRun(result), null, 2) + "\n", hooks);
}
