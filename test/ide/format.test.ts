/** The formatter changes only whitespace, keeps every token and comment in order, and is idempotent. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../server/src/language/index";
import { formatText, formatTokens } from "../../server/src/language/ide/format";

const examplesDir = join(__dirname, "../../examples");
const examples = readdirSync(examplesDir).filter((file) => file.endsWith(".nnet"));

const tokenTexts = (text: string): string[] => {
  const tokens = formatTokens(text);
  return Array.from({ length: tokens.count }, (_, i) => tokens.text(i));
};

function expectPreserving(text: string): string {
  const once = formatText(text);
  expect(formatText(once), "format(format(x)) = format(x)").toBe(once);
  expect(once.replace(/\s+/g, ""), "only whitespace changes").toBe(text.replace(/\s+/g, ""));
  expect(tokenTexts(once), "tokens and comments kept in order").toEqual(tokenTexts(text));
  return once;
}

const codesOf = (text: string): string[] => analyze(text).diagnostics.map((d) => `${d.code} ${d.message}`).sort();

describe("formatting", () => {
  it("finds the examples", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  for (const file of examples) {
    it(`keeps ${file}'s tokens, comments and meaning`, () => {
      const text = readFileSync(join(examplesDir, file), "utf8");
      const formatted = expectPreserving(text);
      expect(codesOf(formatted)).toEqual(codesOf(text));
      expect(analyze(formatted).parse.ast.comments.map((c) => c.text)).toEqual(analyze(text).parse.ast.comments.map((c) => c.text));
    });
  }

  const pieces = [
    "network", "n", "{", "}", "input", "x", ":", "2", "layer", "h1", "dense", "16", "tanh", "from", "add", "(", ")", ",", ";",
    "concat", "loss", "mse", "data", "spiral", "samples", "train", "gradcheck", "epsilon", "1e-7", "-0.5", "->", "\"a b\"",
    "// note", "/* block\n  comment */", "\"unterminated", "/* open", "@", "-", ".", "e", "\n", "\n\n\n", " ", "\t", "\r\n",
  ];
  const fuzzed = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 3 })), { maxLength: 60 }).map((parts) => parts.join(""));

  it("keeps every token of fuzzed inputs and is idempotent on them", () => {
    fc.assert(fc.property(fuzzed, (text) => {
      expectPreserving(text);
    }), { numRuns: 400, seed: 20261201 });
  });

  it("joins the lines of an argument list, but a stray '(' keeps the lines after it", () => {
    expect(formatText("network n {\n  data spiral(samples: 10,\n     noise: 0.1)\n}\n")).toBe("network n {\n  data spiral(samples: 10, noise: 0.1)\n}\n");
    const stray = "network n {\n  layer h: dense 4 (\n  layer o: dense 1\n  loss mse\n}\n";
    expect(expectPreserving(stray).split("\n")).toHaveLength(6);
  });

  it("keeps the parse of fuzzed near-valid networks", () => {
    const entries = ["input x: 2", "layer h: dense 4 relu", "layer o: dense 1 sigmoid from h", "loss bce", "data xor", "// c", "train { epochs 3, batch 4 }"];
    const network = fc.array(fc.constantFrom(...entries), { maxLength: 8 }).chain((lines) =>
      fc.array(fc.constantFrom("\n", "\n\n", "\n    ", " \n"), { minLength: lines.length, maxLength: lines.length })
        .map((breaks) => `network n {${lines.map((line, i) => `${breaks[i]}${line}`).join("")}\n}\n`));
    fc.assert(fc.property(network, (text) => {
      expect(codesOf(expectPreserving(text))).toEqual(codesOf(text));
    }), { numRuns: 150, seed: 7 });
  });
});
