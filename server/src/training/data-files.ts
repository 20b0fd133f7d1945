/**
 * Reading data files named in a .nnet file. A .nnet file is untrusted input,
 * so a data path may not leave the workspace (checked on the real path, so a
 * symlink cannot point out of it) unless the user allows it, and files above
 * a size limit are refused before they are read.
 */
import { accessSync, constants, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { CsvUse, FileAccess } from "../language/index";
import { sampleAbove, sampleOfFile } from "./csv-sample";
import { decodeUtf8, headerWidth, widthProblem } from "./csv-data";

/** 1 GiB: a CSV above this is refused before it is read (the loader streams it; its float64 arrays can be several times its size). */
export const maxDataFileBytes = 1024 * 1024 * 1024;

export interface DataFileOptions {
  /** the workspace root; data must lie inside it. Default: the folder of the .nnet file */
  root?: string;
  /** read data files anywhere on disk */
  allowOutsideWorkspace?: boolean;
  /** default maxDataFileBytes */
  maxBytes?: number;
  /**
   * Set when the document may read no data file at all (an untitled one, or one outside every
   * workspace folder): why, and how to allow it. allowOutsideWorkspace lifts it.
   */
  noDataFiles?: string;
}

/** DataFileOptions with the root decided. */
export type WorkspaceFiles = DataFileOptions & { root: string };

/** A data file that cannot be used, with a message for the user. */
export class DataFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataFileError";
  }
}

function systemReason(failure: unknown): string {
  const code = (failure as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a folder, not a file";
  return failure instanceof Error ? failure.message : String(failure);
}

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
};

function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return resolve(root);
  }
}

/**
 * The checks made before reading: inside the workspace, a regular file, not
 * too large. Returns the real path. `shown` is the path as the user wrote it.
 */
export function checkDataFile(path: string, shown: string, options: WorkspaceFiles): string {
  // before anything touches the disk, so not even whether the file exists shows
  if (options.noDataFiles && !options.allowOutsideWorkspace) throw new DataFileError(`the data file '${shown}' is not read: ${options.noDataFiles}`);
  let real: string;
  try {
    real = realpathSync(path);
  } catch (failure) {
    throw new DataFileError(`cannot read the data file '${shown}' (${path}): ${systemReason(failure)}`);
  }
  const root = realRoot(options.root);
  if (!options.allowOutsideWorkspace && !inside(root, real)) {
    throw new DataFileError(
      `the data file '${shown}' resolves to ${real}, outside the workspace ${root}; ` +
      "data must lie inside the workspace: name a workspace that holds it with --workspace DIR, or allow any folder with " +
      "--allow-outside-workspace (in the editor, the nnet.data.allowOutsideWorkspace setting)",
    );
  }
  const stat = statSync(real);
  if (!stat.isFile()) throw new DataFileError(`cannot read the data file '${shown}': it is not a regular file`);
  const limit = options.maxBytes ?? maxDataFileBytes;
  if (stat.size > limit) {
    throw new DataFileError(`the data file '${shown}' is ${(stat.size / 2 ** 20).toFixed(1)} MiB; the limit is ${(limit / 2 ** 20).toFixed(0)} MiB`);
  }
  try {
    accessSync(real, constants.R_OK);
  } catch (failure) {
    throw new DataFileError(`cannot read the data file '${shown}': ${systemReason(failure)}`);
  }
  return real;
}

/** The file's bytes, after checkDataFile. */
export function readDataFile(path: string, shown: string, options: WorkspaceFiles): Uint8Array {
  const real = checkDataFile(path, shown, options);
  try {
    return readFileSync(real);
  } catch (failure) {
    throw new DataFileError(`cannot read the data file '${shown}': ${systemReason(failure)}`);
  }
}

function exists(path: string): boolean {
  try {
    realpathSync(path);
    return true;
  } catch {
    return false;
  }
}

// A large CSV whose target columns are known reads as a sample (csv-sample.ts), which names any problem itself; a small one whole.
function checkerView(path: string, options: WorkspaceFiles, csv: CsvUse | undefined): { text?: string; why?: string } {
  const real = checkDataFile(path, path, options);
  const size = statSync(real).size;
  if (csv && size > sampleAbove) {
    const sample = sampleOfFile(real, csv.targets);
    const tooWide = sample.columns !== undefined ? widthProblem(sample.columns, path) : undefined;
    if (tooWide) return { why: tooWide };
    if (sample.why) return { why: `${path}: ${sample.why}` };
    const text = sample.text ?? "";
    const wide = widthProblem(headerWidth(text), path);
    return { text, ...(wide ? { why: wide } : {}) };
  }
  const bytes = readDataFile(path, path, options);
  const width = widthProblem(headerWidth(bytes), path);
  if (width) return { why: width };
  return { text: decodeUtf8(bytes, path) };
}

/**
 * A FileAccess for the checker that applies the same rules: a refused file
 * reads as missing, and the training layer reports why (see compileJob).
 */
export function guardedFiles(options: WorkspaceFiles): FileAccess {
  return {
    readFile(path, csv) {
      try {
        const view = checkerView(path, options, csv);
        return view.why ? undefined : view.text;
      } catch {
        return undefined;
      }
    },
    whyUnreadable(path, csv) {
      // a file that does not exist keeps the checker's own message, which says how paths resolve
      if (!exists(path)) return undefined;
      try {
        return checkerView(path, options, csv).why;
      } catch (failure) {
        // a file in another encoding is refused by the loader too: say so at the csv(…) call, before training
        return failure instanceof Error ? failure.message : undefined;
      }
    },
    sampledRows(path, csv) {
      try {
        const real = checkDataFile(path, path, options);
        return statSync(real).size > sampleAbove ? sampleOfFile(real, csv.targets).rows : undefined;
      } catch {
        return undefined;
      }
    },
    resolve(from, relativePath) {
      if (isAbsolute(relativePath)) return relativePath;
      return resolve(from ? dirname(from) : process.cwd(), relativePath);
    },
  };
}
