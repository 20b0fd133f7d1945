/**
 * Data-driven IDE fixtures: a .nnet text with a `<|>` cursor marker, and the
 * expected answer in a file beside it. UPDATE_EXPECT=1 rewrites the answers.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import { analyzeDocument, type IdeDocument } from "../../server/src/language/ide/index";
import type { FileAccess } from "../../server/src/language/semantics/index";

export const fixtureRoot = join(__dirname, "fixtures");
const marker = "<|>";

export interface Fixture {
  name: string;
  path: string;
  text: string;
  /** the cursor offset, where `<|>` was */
  offset: number;
  document: IdeDocument;
  /** `// key: value` lines at the top of the file; `// files: beside` lets the checker read the files in the fixture's folder */
  options: Map<string, string>;
}

/** The fixture folder's files, as a host would give them. */
const filesIn = (folder: string): FileAccess => ({
  readFile: (path) => (existsSync(path) ? readFileSync(path, "utf8") : undefined),
  resolve: (_from, relative) => resolve(folder, relative),
});

export function fixtures(kind: string): Fixture[] {
  const folder = join(fixtureRoot, kind);
  return readdirSync(folder).filter((file) => file.endsWith(".nnet") && !file.includes(".expected")).sort().map((file) => {
    const raw = readFileSync(join(folder, file), "utf8");
    const offset = raw.indexOf(marker);
    const text = offset >= 0 ? raw.slice(0, offset) + raw.slice(offset + marker.length) : raw;
    const options = new Map([...text.matchAll(/^\/\/ ([a-z-]+): (.*)$/gm)].map((match) => [match[1]!, match[2]!]));
    return {
      name: file, path: join(folder, file), text, offset: Math.max(0, offset), options,
      document: analyzeDocument({ uri: `file:///${file}`, version: 1, text, ...(options.get("files") === "beside" ? { path: join(folder, file), files: filesIn(folder) } : {}) }),
    };
  });
}

/** Compares with the expected file beside the fixture, or writes it under UPDATE_EXPECT=1. */
export function expectFixture(fixture: Fixture, suffix: string, actual: string): void {
  const expectedPath = fixture.path.replace(/\.nnet$/, `.expected${suffix}`);
  if (process.env.UPDATE_EXPECT === "1") {
    writeFileSync(expectedPath, actual);
    return;
  }
  expect(existsSync(expectedPath), `${expectedPath} is missing: run with UPDATE_EXPECT=1`).toBe(true);
  expect(actual).toBe(readFileSync(expectedPath, "utf8"));
}

/** Applies edits (offsets into `text`) from the last to the first. */
export function applyEdits(text: string, edits: { span: { start: number; end: number }; newText: string }[]): string {
  return [...edits].sort((a, b) => b.span.start - a.span.start)
    .reduce((result, edit) => result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end), text);
}

export function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `${before.split("\n").length}:${offset - before.lastIndexOf("\n")}`;
}
