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

/** Writes `text` to `path` atomically. */
export function writeFileAtomic(path: string, text: string, hooks: WriteHooks = {}): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = openSync(temporary, "wx", 0o644);
  try {
    try {
      writeSync(fd, text);
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

export function saveRun(path: string, result: JobResult, hooks?: WriteHooks): void {
  writeFileAtomic(path, JSON.stringify(savedRun(result), null, 2) + "\n", hooks);
}
