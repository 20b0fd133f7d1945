import { describe, it, expect } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Tokenizer, grammarRegexes, type Grammar, type Token } from "./tokenize";
import { scopeSamples } from "./samples";

const root = join(__dirname, "..", "..");
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(root, path), "utf8"));
const grammar = readJson("syntaxes/nnet.tmLanguage.json") as Grammar;
const manifest = readJson("package.json") as {
  contributes: { grammars: { scopeName: string; path: string }[]; languages: { configuration: string }[] };
};

interface LanguageConfiguration {
  comments: { lineComment: string; blockComment: [string, string] };
  brackets: [string, string][];
  autoClosingPairs: { open: string; close: string }[];
  surroundingPairs: [string, string][];
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  onEnterRules: { beforeText: string; afterText?: string }[];
  wordPattern: string;
}
const configuration = readJson("language-configuration.json") as LanguageConfiguration;

const innermost = (tokens: Token[], text: string): string | undefined =>
  tokens.find((token) => token.text === text)?.scopes.at(-1);

describe("grammar and language configuration files", () => {
  it("are the files the manifest contributes", () => {
    expect(manifest.contributes.grammars[0]).toMatchObject({ scopeName: "source.nnet" });
    expect(manifest.contributes.grammars[0]!.path).toBe("./syntaxes/nnet.tmLanguage.json");
    expect(manifest.contributes.languages[0]!.configuration).toBe("./language-configuration.json");
    expect(grammar.scopeName).toBe("source.nnet");
  });

  it("has only regular expressions that compile, and only includes that resolve", () => {
    const sources = grammarRegexes(grammar);
    expect(sources.length).toBeGreaterThan(20);
    for (const { where, source } of sources) {
      expect(() => new RegExp(source, "d"), where).not.toThrow();
    }
    const includes = JSON.stringify(grammar).match(/"include":"#([^"]+)"/g) ?? [];
    for (const include of includes) {
      const key = include.slice('"include":"#'.length, -1);
      expect(grammar.repository[key], include).toBeDefined();
    }
  });

  it("has language configuration patterns that compile and behave", () => {
    expect(configuration.comments).toEqual({ lineComment: "//", blockComment: ["/*", "*/"] });
    expect(configuration.brackets).toEqual([["{", "}"], ["(", ")"]]);
    expect(configuration.autoClosingPairs.map((pair) => pair.open)).toEqual(["{", "(", '"', "/*"]);
    expect(configuration.surroundingPairs).toContainEqual(['"', '"']);
    const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);
    expect(increase.test("network xor {")).toBe(true);
    expect(increase.test("  train {  ")).toBe(true);
    expect(increase.test("  gradcheck { epsilon 1e-7 }")).toBe(false);
    expect(increase.test("  // a comment {")).toBe(false);
    expect(decrease.test("  }")).toBe(true);
    expect(decrease.test("  layer a: dense 2")).toBe(false);
    for (const rule of configuration.onEnterRules) {
      expect(() => new RegExp(rule.beforeText)).not.toThrow();
      if (rule.afterText) expect(() => new RegExp(rule.afterText!)).not.toThrow();
    }
  });

  it("has a word pattern that takes identifiers and whole numbers", () => {
    const words = "layer h_1: dense 16 tanh init normal(std: -0.5) 1e-7 2.5E+3".match(
      new RegExp(configuration.wordPattern, "g"),
    );
    expect(words).toEqual(["layer", "h_1", "dense", "16", "tanh", "init", "normal", "std", "-0.5", "1e-7", "2.5E+3"]);
  });
});

describe("tokenizing .nnet lines with the grammar", () => {
  const tokenizer = new Tokenizer(grammar);
  for (const sample of scopeSamples) {
    it(sample.title, () => {
      const tokens = tokenizer.tokenizeLines(sample.lines).flat();
      for (const [text, scope] of sample.expect) expect(innermost(tokens, text), text).toBe(scope);
    });
  }

  // Every word of a valid file is a keyword, a known name, a declared name, a reference, a number or punctuation.
  const wholeFiles = ["test/e2e/fixtures/spiral.nnet", "test/e2e/fixtures/xor.nnet", ...exampleFiles()];
  for (const file of wholeFiles) {
    it(`gives every token of ${file} a specific scope`, () => {
      const lines = readFileSync(join(root, file), "utf8").split("\n");
      const tokens = tokenizer.tokenizeLines(lines).flat();
      const unscoped = tokens.filter((token) => token.scopes.length === 1 && token.text.trim() !== "");
      expect(unscoped).toEqual([]);
      expect(tokens.filter((token) => token.scopes.at(-1) === "variable.other.nnet")).toEqual([]);
    });
  }
});

function exampleFiles(): string[] {
  const folder = join(root, "examples");
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((file) => file.endsWith(".nnet"))
    .map((file) => `examples/${file}`);
}

// The editor's own engine (vscode-textmate on Oniguruma) ships inside code-server;
// where .ci/install-e2e.sh has installed it, the same samples must give the same scopes there.
const vscodeModules = join(root, ".cache/code-server/node_modules/code-server/lib/vscode/node_modules");
const haveEditorEngine = existsSync(join(vscodeModules, "vscode-textmate")) && existsSync(join(vscodeModules, "vscode-oniguruma"));

describe.skipIf(!haveEditorEngine)("tokenizing with the editor's vscode-textmate", () => {
  it("gives every sample the expected scopes", async () => {
    const tokenizeLines = await loadEditorTokenizer();
    for (const sample of scopeSamples) {
      const tokens = tokenizeLines(sample.lines);
      for (const [text, scope] of sample.expect) expect(innermost(tokens, text), `${sample.title}: ${text}`).toBe(scope);
    }
  });
});

type TokenizeLines = (lines: string[]) => Token[];

async function loadEditorTokenizer(): Promise<TokenizeLines> {
  const load = createRequire(join(vscodeModules, "index.js"));
  const oniguruma = load("vscode-oniguruma");
  const textmate = load("vscode-textmate");
  const wasm = readFileSync(join(vscodeModules, "vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async () => grammar,
  });
  const loaded = await registry.loadGrammar("source.nnet");
  return (lines) => {
    let state = textmate.INITIAL;
    return lines.flatMap((line) => {
      const result = loaded.tokenizeLine(line, state);
      state = result.ruleStack;
      return result.tokens.map((token: { startIndex: number; endIndex: number; scopes: string[] }) => ({
        text: line.slice(token.startIndex, token.endIndex),
        scopes: token.scopes,
      }));
    });
  };
}
