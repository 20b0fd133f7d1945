/**
 * The language core's view of the disk (it does no I/O itself): CSV data
 * next to the .nnet file. Re-checking on every keystroke would re-read the
 * data each time, so a file's text is kept until its size or mtime changes.
 * A large CSV is seen through its sample (training/csv-sample.ts), never
 * read whole into the server.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { CsvUse, FileAccess } from "../language/index";
import { checkDataFile, DataFileError, headerWidth, sampleAbove, sampleOfFile, widthProblem, type WorkspaceFiles } from "../training/index";

interface Cached {
  mtimeMs: number;
  size: number;
  text: string;
  /** the whole file's data rows when text is a sample */
  rows?: number;
  /** why the checker may not use it: too many columns, not UTF-8 */
  unusable?: string;
}

const cache = new Map<string, Cached>();
const MAX_CACHED = 32;

function load(path: string, csv?: CsvUse): Cached | undefined {
  try {
    const stat = statSync(path);
    const sample = csv && stat.size > sampleAbove ? sampled(path, stat, csv) : undefined;
    if (sample) return sample;
    const cached = cache.get(path);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
    const text = readFileSync(path, "utf8");
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    const unusable = widthProblem(headerWidth(text), path);
    const fresh = { mtimeMs: stat.mtimeMs, size: stat.size, text, ...(unusable ? { unusable } : {}) };
    cache.set(path, fresh);
    return fresh;
  } catch {
    cache.delete(path);
    return undefined;
  }
}

// A large file is never read whole: its sample has the text, or says why there is none.
function sampled(path: string, { mtimeMs, size }: { mtimeMs: number; size: number }, csv: CsvUse): Cached {
  const sample = sampleOfFile(path, csv.targets);
  const tooWide = sample.columns !== undefined ? widthProblem(sample.columns, path) : undefined;
  if (tooWide) return { mtimeMs, size, text: "", unusable: tooWide };
  if (sample.text === undefined) return { mtimeMs, size, text: "", unusable: `${path}: ${sample.why ?? "no sample could be taken"}` };
  const unusable = widthProblem(headerWidth(sample.text), path);
  return { mtimeMs, size, text: sample.text, rows: sample.rows, ...(unusable ? { unusable } : {}) };
}

// a file too wide reads as missing, and whyUnreadable says why (as training would refuse it)
const read = (path: string, csv?: CsvUse): string | undefined => {
  const loaded = load(path, csv);
  return loaded && !loaded.unusable ? loaded.text : undefined;
};

export const diskFiles: FileAccess = {
  readFile: read,
  whyUnreadable: (path, csv) => load(path, csv)?.unusable,
  sampledRows: (path, csv) => load(path, csv)?.rows,
  resolve(from, relative) {
    if (isAbsolute(relative)) return relative;
    return resolve(from ? dirname(from) : process.cwd(), relative);
  },
};

// The refusal for a file that may not be read; a missing file keeps the checker's own message,
// unless no file may be read at all.
function refusal(path: string, options: WorkspaceFiles, csv?: CsvUse): string | undefined {
  try {
    if (!options.noDataFiles || options.allowOutsideWorkspace) statSync(path);
    checkDataFile(path, path, options);
    return load(path, csv)?.unusable;
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
    readFile: (path, csv) => (refusal(path, options, csv) === undefined ? read(path, csv) : undefined),
    whyUnreadable: (path, csv) => refusal(path, options, csv),
    sampledRows: (path, csv) => (refusal(path, options, csv) === undefined ? diskFiles.sampledRows!(path, csv) : undefined),
    resolve: diskFiles.resolve,
  };
}
