/**
 * The one direction of dependency (ARCHITECTURE.md): the layer table there
 * is what each layer's tsconfig references and what its files import, only
 * through the lower layer's index.ts; the engine imports only itself, the
 * language core never sees vscode or LSP and does no I/O, and only
 * server/src/lsp imports vscode-languageserver.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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

  it("the webview never inserts HTML built from data", () => {
    const found = sources("client/webview").filter((file) =>
      /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/.test(readFileSync(join(root, file), "utf8")));
    expect(found).toEqual([]);
  });
});

interface Layer {
  name: string;
  folder: string;
  imports: string[];
}

/** The layer table of ARCHITECTURE.md, in its order: each row may import only rows above it. */
function layerTable(): Layer[] {
  const text = readFileSync(join(root, "ARCHITECTURE.md"), "utf8");
  const rows = [...text.matchAll(/^\| `([a-z]+)` \| `([\w/]+)\/` \| ([^|]*)\|$/gm)];
  return rows.map(([, name, folder, imports]) => ({
    name, folder, imports: imports.trim() === "—" ? [] : imports.split(",").map((entry) => entry.trim().replace(/`/g, "")),
  }));
}

const layerOf = (layers: Layer[], file: string): Layer | undefined =>
  layers.find((layer) => file === layer.folder || file.startsWith(`${layer.folder}/`));

/** A layer's entry points: its folder or index.ts, and the IDE API's own index. */
const isEntry = (layer: Layer, path: string): boolean =>
  [layer.folder, `${layer.folder}/index`, `${layer.folder}/ide/index`].includes(path.replace(/\.ts$/, ""));

describe("the layer table", () => {
  const layers = layerTable();

  it("names every layer folder with a tsconfig, in an order where each imports only layers above it", () => {
    expect(layers.map((layer) => layer.name)).toEqual([
      "engine", "model", "protocol", "language", "training", "export", "dap", "lsp", "cli", "client", "webview",
    ]);
    layers.forEach((layer, index) => {
      expect(existsSync(join(root, layer.folder, layer.name === "client" ? "../tsconfig.json" : "tsconfig.json")), layer.name).toBe(true);
      for (const below of layer.imports) expect(layers.slice(0, index).map((l) => l.name), `${layer.name} → ${below}`).toContain(below);
    });
    const server = readdirSync(join(root, "server/src"), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `server/src/${entry.name}`);
    expect(server.sort()).toEqual(layers.map((layer) => layer.folder).filter((folder) => folder.startsWith("server/")).sort());
  });

  it("is what each layer's tsconfig references", () => {
    for (const layer of layers) {
      const configPath = join(root, layer.folder, layer.name === "client" ? "../tsconfig.json" : "tsconfig.json");
      const config = JSON.parse(readFileSync(configPath, "utf8")) as { references?: { path: string }[] };
      const referenced = (config.references ?? []).map((ref) => relative(root, resolve(dirname(configPath), ref.path)));
      const expected = layer.imports.map((name) => layers.find((l) => l.name === name)!.folder);
      expect(referenced.sort(), layer.name).toEqual(expected.sort());
    }
  });

  it("is what the code imports, and only through each layer's index.ts", () => {
    const found: string[] = [];
    const used = new Set<string>();
    for (const layer of layers) {
      for (const file of sources(layer.folder)) {
        for (const specifier of importsOf(file).filter(isRelative)) {
          const path = target(file, specifier);
          const into = layerOf(layers, path);
          if (into === layer) continue;
          if (path === "package.json") continue;
          if (!into || !layer.imports.includes(into.name)) found.push(`${file} imports ${specifier}, outside ${layer.name}'s layers`);
          else if (!isEntry(into, path)) found.push(`${file} imports ${specifier}, not ${into.folder}/index.ts`);
          else used.add(`${layer.name} → ${into.name}`);
        }
      }
    }
    expect(found).toEqual([]);
    const stated = layers.flatMap((layer) => layer.imports.map((name) => `${layer.name} → ${name}`));
    expect([...used].sort(), "every edge the table states is used").toEqual(stated.sort());
  });

  it("tsc -b rejects an upward import", () => {
    const copy = mkdtempSync(join(tmpdir(), "nnet-layers-"));
    try {
      cpSync(join(root, "tsconfig.base.json"), join(copy, "tsconfig.base.json"));
      symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
      for (const name of ["engine", "model", "protocol"]) cpSync(join(root, "server/src", name), join(copy, "server/src", name), { recursive: true });
      writeFileSync(join(copy, "server/src/model/upward.ts"), 'import type { NetworkSummary } from "../protocol/index";\nexport type Upward = NetworkSummary;\n');
      const tsc = join(root, "node_modules/typescript/bin/tsc");
      let output = "";
      try {
        execFileSync(process.execPath, [tsc, "-b", join(copy, "server/src/model")], { encoding: "utf8" });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout);
      }
      expect(output).toMatch(/upward\.ts.*error TS6307: File '.*server\/src\/protocol\/index\.ts' is not listed within the file list of project/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
