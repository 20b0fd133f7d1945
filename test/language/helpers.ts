/** Shared helpers for the language tests: fixture files and an in-memory FileAccess. */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { analyze, LineIndex, type FileAccess } from "../../server/src/language/index";

export const fixturesDir = resolve(__dirname, "fixtures");
export const examplesDir = resolve(__dirname, "../../examples");

/** Every file under a folder, read once into memory, keyed by absolute path. */
export function memoryFiles(dir: string): FileAccess {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(path, readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return {
    readFile: (path) => files.get(path),
    resolve: (from, relative) => resolve(from ? join(from, "..") : dir, relative),
  };
}

export interface ExpectedDiagnostic {
  code: string;
  severity: string;
  /** 1-based line:column of start and end */
  range: string;
  /** the text under the range, so a drifting span shows up in review */
  text: string;
}

export function describeDiagnostics(text: string, path: string, files: FileAccess): ExpectedDiagnostic[] {
  const lines = new LineIndex(text);
  const at = (offset: number): string => {
    const position = lines.position(offset);
    return `${position.line + 1}:${position.character + 1}`;
  };
  return analyze(text, { path, files }).diagnostics.map((diagnostic) => ({
    code: diagnostic.code,
    severity: diagnostic.severity,
    range: `${at(diagnostic.span.start)}-${at(diagnostic.span.end)}`,
    text: text.slice(diagnostic.span.start, diagnostic.span.end),
  }));
}

export const exampleFiles = (): string[] => readdirSync(examplesDir).filter((name) => name.endsWith(".nnet")).map((name) => join(examplesDir, name));
