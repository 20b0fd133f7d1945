import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze, lex, parse, type DenseBody, type InlineData, type LayerEntry } from "../../server/src/language/index";
import { exampleFiles, memoryFiles, examplesDir } from "./helpers";

const spiralFromContract = `// spiral.nnet: two interleaved spirals, the classic hard 2-D toy problem
network spiral {
  input x: 2

  layer h1: dense 16 tanh
  layer h2: dense 16 tanh
  layer out: dense 1 sigmoid

  loss binary_cross_entropy

  data spiral(samples: 400, noise: 0.1)

  train {
    optimizer adam(lr: 0.01)
    epochs 300
    batch 16
    validation 0.2
    seed 7
  }

  gradcheck { epsilon 1e-7, tolerance 1e-5 }
}
`;

const slice = (text: string, span: { start: number; end: number } | undefined): string => (span ? text.slice(span.start, span.end) : "<none>");

describe("parse", () => {
  it("reads the contract's complete file into the AST with exact spans", () => {
    const { ast, errors } = parse(spiralFromContract);
    expect(errors).toEqual([]);
    const [network] = ast.networks;
    expect(network.name?.text).toBe("spiral");
    expect(network.entries.map((entry) => entry.kind)).toEqual(["input", "layer", "layer", "layer", "loss", "data", "train", "gradcheck"]);
    const h1 = network.entries[1] as LayerEntry;
    const body = h1.body as DenseBody;
    expect(slice(spiralFromContract, h1.span)).toBe("layer h1: dense 16 tanh");
    expect(slice(spiralFromContract, h1.name?.span)).toBe("h1");
    expect(body.units?.value).toBe(16);
    expect(slice(spiralFromContract, body.activation?.name?.span)).toBe("tanh");
    expect(ast.comments).toHaveLength(1);
    expect(ast.comments[0].text.startsWith("// spiral.nnet")).toBe(true);
  });

  it("keeps the spiral example identical to the contract's file", () => {
    expect(readFileSync(`${examplesDir}/spiral.nnet`, "utf8")).toBe(spiralFromContract);
  });

  it("reads settings separated by commas or newlines, and number forms", () => {
    const text = "network a { train { epochs 3, batch full, l2 -0.5, seed 2.5E+3 } gradcheck { epsilon 1e-7\n tolerance 1e-5 } }";
    const { ast, errors } = parse(text);
    expect(errors).toEqual([]);
    const blocks = ast.networks[0].entries;
    expect(blocks.map((block) => block.kind)).toEqual(["train", "gradcheck"]);
    const values = blocks.flatMap((block) => ("settings" in block ? block.settings : [])).map((setting) => setting.value);
    expect(values.map((value) => (value?.kind === "number" ? value.number.value : value?.kind))).toEqual([3, "full", -0.5, 2500, 1e-7, 1e-5]);
  });

  it("reads inline rows separated by ';' or newlines", () => {
    const text = "network a { data { 0 0 -> 0 ; 0 1 -> 1\n 1 0 -> 1\n\n 1 1 -> 0 } }";
    const { ast, errors } = parse(text);
    expect(errors).toEqual([]);
    const data = ast.networks[0].entries[0];
    const rows = (data.kind === "data" ? (data.source as InlineData) : undefined)?.rows ?? [];
    expect(rows.map((row) => [row.features.map((n) => n.value), row.targets.map((n) => n.value)])).toEqual([
      [[0, 0], [0]], [[0, 1], [1]], [[1, 0], [1]], [[1, 1], [0]],
    ]);
  });

  it("reads strings with escapes, positional and named arguments", () => {
    const text = 'network a { data csv("dir\\\\my \\"x\\".csv", target: "y", classes: 3) }';
    const { ast, errors } = parse(text);
    expect(errors).toEqual([]);
    const data = ast.networks[0].entries[0];
    const call = data.kind === "data" && data.source?.kind === "call" ? data.source : undefined;
    expect(call?.args.map((arg) => [arg.name?.text, arg.value?.kind === "string" ? arg.value.string.value : arg.value?.kind])).toEqual([
      [undefined, 'dir\\my "x".csv'], ["target", "y"], ["classes", "number"],
    ]);
    expect(slice(text, call?.parens)).toBe('("dir\\\\my \\"x\\".csv", target: "y", classes: 3)');
  });

  it("reads add, concat, from and init", () => {
    const text = "network a { input x: 2\n layer h: dense 4 leaky_relu(alpha: 0.1) from x init normal(std: 0.1)\n layer s: add(h, h)\n layer c: concat(s,\n x) }";
    const { ast, errors } = parse(text);
    expect(errors).toEqual([]);
    const [, h, s, c] = ast.networks[0].entries as LayerEntry[];
    const dense = h.body as DenseBody;
    expect([dense.from?.text, dense.init?.name?.text, dense.activation?.args[0]?.name?.text]).toEqual(["x", "normal", "alpha"]);
    expect(s.body?.kind).toBe("add");
    expect(c.body && "operands" in c.body ? c.body.operands.map((n) => n.text) : []).toEqual(["s", "x"]);
  });

  it.each(exampleFiles())("parses and checks the example %s clean", (path) => {
    const text = readFileSync(path, "utf8");
    expect(parse(text).errors).toEqual([]);
    const analysis = analyze(text, { path, files: memoryFiles(examplesDir) });
    expect(analysis.diagnostics.filter((d) => d.severity !== "hint")).toEqual([]);
    expect(analysis.model.networks.every((network) => network.spec && network.train && network.gradcheck)).toBe(true);
  });
});

describe("lex", () => {
  it("lists tokens and comments in order, marking keywords", () => {
    const text = "network a { // why\n layer h: dense 3 tanh }";
    const tokens = lex(text).map((token) => [token.type, text.slice(token.span.start, token.span.end), token.keyword]);
    expect(tokens).toEqual([
      ["Network", "network", true], ["Identifier", "a", false], ["LCurly", "{", false], ["LineComment", "// why", false],
      ["Layer", "layer", true], ["Identifier", "h", false], ["Colon", ":", false], ["Dense", "dense", true],
      ["NumberLiteral", "3", false], ["Identifier", "tanh", false], ["RCurly", "}", false],
    ]);
    expect(lex("layers denser")).toEqual([
      { type: "Identifier", span: { start: 0, end: 6 }, keyword: false }, { type: "Identifier", span: { start: 7, end: 13 }, keyword: false },
    ]);
  });
});

describe("recovery", () => {
  it("reports several syntax errors in one file and keeps the entries between them", () => {
    const text = "network a {\n input x: 2\n layer h: dense tanh\n layer o dense 1\n loss mse\n layer q: dense 3 ) (\n data xor\n}";
    const { ast, errors } = parse(text);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    const lines = errors.map((error) => text.slice(0, error.span.start).split("\n").length);
    expect(new Set(lines)).toEqual(new Set([3, 4, 6]));
    expect(ast.networks[0].entries.map((entry) => entry.kind)).toEqual(["input", "layer", "layer", "loss", "layer", "data"]);
  });

  it("still reports semantic errors after a syntax error", () => {
    const text = "network a {\n input x: 2\n layer h: dense 4 tahn )\n layer o: dense 1 sigmoid from nope\n loss mse\n}";
    const codes = analyze(text).diagnostics.map((d) => d.code);
    expect(codes).toContain("nnet/syntax");
    expect(codes).toContain("nnet/unknown-activation");
    expect(codes).toContain("nnet/unknown-layer");
  });

  it("recovers inside a layer, a settings block and inline rows without losing what follows", () => {
    const text = "network a {\n layer h: dens 3\n layer q: dense 3\n train { epochs 3\n 5 batch 3\n seed 2 }\n data { 1 2 -> 3 ; x 1 -> 2\n 3 3 -> 1 }\n loss mse\n}";
    const { ast, errors } = parse(text);
    expect(errors.map((error) => slice(text, error.span))).toEqual(["dens", "5", "x"]);
    const entries = ast.networks[0].entries;
    expect(entries.map((entry) => entry.kind)).toEqual(["layer", "layer", "train", "data", "loss"]);
    const train = entries[2];
    expect(train.kind === "train" ? train.settings.map((setting) => setting.key?.text) : []).toEqual(["epochs", "batch", "seed"]);
    const data = entries[3];
    expect(data.kind === "data" && data.source?.kind === "inline" ? data.source.rows.length : 0).toBe(3);
  });

  it("suggests the keyword a misspelt word was meant to be, with a fix", () => {
    const text = "netwrk q {}\nnetwork a {\n input x: 2\n layr h: dense 3\n layer z: dens 4\n lose mse\n}";
    const syntax = analyze(text).diagnostics.filter((d) => d.code === "nnet/syntax");
    expect(syntax.map((d) => [slice(text, d.span), d.fixes?.[0].edits[0].newText])).toEqual([
      ["netwrk", "network"], ["layr", "layer"], ["dens", "dense"], ["lose", "loss"],
    ]);
    expect(syntax[2].message).toContain("did you mean 'dense'?");
  });

  it("suggests the keyword for a Keras or PyTorch layer name", () => {
    const text = "network a {\n input x: 2\n layer h: Linear 3\n layer g: Dense 4\n layer z: Concatenate(h, g)\n}";
    const syntax = analyze(text).diagnostics.filter((d) => d.code === "nnet/syntax");
    expect(syntax.map((d) => [slice(text, d.span), d.fixes?.[0].edits[0].newText])).toEqual([
      ["Linear", "dense"], ["Dense", "dense"], ["Concatenate", "concat"],
    ]);
  });

  it("parses the next network after an unclosed one", () => {
    const { ast, errors } = parse("network a { input x: 2\nnetwork b { input y: 3 }");
    expect(errors).toHaveLength(1);
    expect(ast.networks.map((network) => network.name?.text)).toEqual(["a", "b"]);
  });

  it("reports unterminated strings and comments, and stray characters", () => {
    const messages = parse('network a { data csv("x.csv) }\n# hash\n/* never closed').errors.map((error) => error.message);
    expect(messages.some((message) => message.startsWith("unterminated string"))).toBe(true);
    expect(messages.some((message) => message.startsWith("unterminated comment"))).toBe(true);
    expect(messages.some((message) => message.startsWith("unexpected character '#'"))).toBe(true);
  });

  it("points an error at the end of the text just after the last token", () => {
    const text = "network a { input x:";
    const [error] = parse(text).errors;
    expect(error.span).toEqual({ start: text.length, end: text.length });
  });

  it("parses and checks every prefix of every example, cut at each token", () => {
    for (const path of exampleFiles()) {
      const text = readFileSync(path, "utf8");
      const cuts = [...text.matchAll(/[^\s]+/g)].map((match) => match.index! + match[0].length);
      for (const cut of cuts) {
        const prefix = text.slice(0, cut);
        const analysis = analyze(prefix, { path, files: memoryFiles(examplesDir) });
        for (const d of analysis.diagnostics) {
          expect(d.span.start).toBeGreaterThanOrEqual(0);
          expect(d.span.end).toBeLessThanOrEqual(prefix.length);
          expect(d.code).not.toBe("nnet/internal");
        }
      }
    }
  });
});

describe("limits", () => {
  it("copes with 10,000 nested braces and parentheses", () => {
    for (const text of ["{".repeat(10000) + "}".repeat(10000), `network a { layer h: dense 3 tanh${"(".repeat(10000)}${")".repeat(10000)} }`]) {
      const analysis = analyze(text);
      expect(analysis.diagnostics.some((d) => d.code === "nnet/syntax")).toBe(true);
    }
  });

  it("copes with a 1 MB word, comment, string and number run", () => {
    const mb = 1 << 20;
    // their times are measured by `npm run bench:language`
    for (const text of ["a".repeat(mb), `// ${"c".repeat(mb)}`, `network a { data csv("${"s".repeat(mb)}") }`, `network a { data { ${"1 ".repeat(mb / 2)}-> 1 } }`]) {
      expect(() => analyze(text)).not.toThrow();
    }
  });

  it("copes with a 1 MB line", () => {
    const text = `network a { input x: 2 ${"layer h: dense 3 tanh ".repeat(50000)}}`;
    const analysis = analyze(text);
    expect(analysis.diagnostics.length).toBeGreaterThan(0);
  });
});
