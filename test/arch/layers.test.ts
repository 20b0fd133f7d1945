/**
 * The one direction of dependency (ARCHITECTURE.md): the engine imports only
 * itself, the language core never sees vscode or LSP and does no I/O, and
 * only server/src/lsp imports vscode-languageserver.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");

function sources(folder: string): string[] {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts|cts|js|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

const importPattern = /(?:^|[^\w.])(?:import|export)\s[^'"`;]*?from\s*["']([^"']+)["']|(?:^|[^\w.])import\s*["']([^"']+)["']|(?:require|import)\s*\(\s*["']([^"']+)["']\s*\)/gm;

/** Every module specifier a text imports, comments removed first so prose cannot match. */
function importsIn(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  return [...text.matchAll(importPattern)].map((match) => match[1] ?? match[2] ?? match[3]);
}

const importsOf = (file: string): string[] => importsIn(readFileSync(join(root, file), "utf8"));

const isRelative = (specifier: string): boolean => specifier.startsWith(".");
const target = (file: string, specifier: string): string => relative(root, resolve(root, dirname(file), specifier));
const isLsp = (specifier: string): boolean => /^vscode-languageserver(-[a-z]+)?(\/|$)/.test(specifier);

function violations(files: string[], rule: (file: string, specifier: string) => string | undefined): string[] {
  return files.flatMap((file) => importsOf(file).map((specifier) => rule(file, specifier)).filter((problem): problem is string => !!problem));
}

describe("layering", () => {
  it("recognises every import form, and not imports in comments", () => {
    const text = [
      'import a from "one";', 'import { b,\n c } from "two";', 'import type { D } from "../three";', 'import "four";',
      'export * from "./five";', 'const f = require("six");', 'const g = await import("seven");', '// import x from "not-me";',
      '/* import y from "nor-me"; */',
    ].join("\n");
    expect(importsIn(text)).toEqual(["one", "two", "../three", "four", "./five", "six", "seven"]);
  });

  it("finds the imports it checks (the scanner works)", () => {
    expect(sources("server/src/language").length).toBeGreaterThan(5);
    expect(sources("server/src/model").length).toBeGreaterThan(3);
    expect(sources("server/src/export").length).toBeGreaterThan(2);
    expect(importsOf("server/src/language/syntax/grammar.ts")).toContain("chevrotain");
  });

  it("the engine imports nothing outside server/src/engine", () => {
    const found = violations(sources("server/src/engine"), (file, specifier) =>
      !isRelative(specifier) || !target(file, specifier).startsWith("server/src/engine")
        ? `${file} imports ${specifier}` : undefined);
    expect(found).toEqual([]);
  });

  it("the language core never imports vscode, LSP, node modules or the layers above it", () => {
    const found = violations(sources("server/src/language"), (file, specifier) => {
      if (specifier === "vscode" || isLsp(specifier) || specifier.startsWith("node:") || ["fs", "path", "child_process"].includes(specifier)) {
        return `${file} imports ${specifier}`;
      }
      if (isRelative(specifier) && /^server\/src\/(training|lsp|cli)\//.test(target(file, specifier))) return `${file} reaches up into ${specifier}`;
      return undefined;
    });
    expect(found).toEqual([]);
  });

  it("the model layer imports only the engine and itself, and does no I/O", () => {
    const found = violations(sources("server/src/model"), (file, specifier) => {
      if (!isRelative(specifier)) return `${file} imports ${specifier}`;
      return /^server\/src\/(model|engine)\//.test(target(file, specifier)) ? undefined : `${file} reaches into ${specifier}`;
    });
    expect(found).toEqual([]);
  });

  it("the exports read models through the model and training layers, never the editor's", () => {
    const found = violations(sources("server/src/export"), (file, specifier) => {
      if (specifier === "vscode" || isLsp(specifier)) return `${file} imports ${specifier}`;
      if (isRelative(specifier) && /^server\/src\/(lsp|cli|language|protocol)\//.test(target(file, specifier))) return `${file} reaches into ${specifier}`;
      return undefined;
    });
    expect(found).toEqual([]);
  });

  it("only server/src/lsp imports vscode-languageserver", () => {
    const files = [...sources("server/src"), ...sources("client")].filter((file) => !file.startsWith("server/src/lsp/"));
    expect(violations(files, (file, specifier) => (isLsp(specifier) ? `${file} imports ${specifier}` : undefined))).toEqual([]);
  });
});
