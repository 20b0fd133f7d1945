/**
 * Grammar-aware .nnet inputs for the robustness suite and `npm run fuzz`:
 * valid files (layer stacks with dense/add/concat, every data source, train
 * and gradcheck blocks, comments, both separator styles), then mutations of
 * them, then a few huge or deeply nested texts.
 */
import fc from "fast-check";
import { keywords } from "../../server/src/language/index";

interface Known {
  name: string;
  units: number;
}

export type Separator = "lines" | "commas";

const hiddenActivations = [
  "identity", "linear", "sigmoid", "tanh", "relu", "softplus", "leaky_relu(alpha: 0.01)", "elu(alpha: 1)", "leaky_relu", "elu", "gelu", "silu", "swish", "selu",
];
const inits = ["xavier", "he", "normal(std: 0.1)", "uniform(limit: 0.5)"];
const reserved = new Set(keywords);

const name = fc.oneof(
  fc.constantFrom("x", "h1", "h2", "h3", "out", "skip", "wide", "hidden", "y", "_a", "L9"),
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,7}$/),
).filter((word) => !reserved.has(word));

const comment = fc.oneof(
  fc.constantFrom("// note", "// δ = (Wᵀ δ) ⊙ σ′(z) 🧠", "/* block */", "/* two\n   lines */", "//", "/**/"),
  fc.string({ maxLength: 20 }).map((body) => `// ${body.replace(/[\r\n\u2028\u2029]/g, " ")}`),
);

/** One output that suits a data source: its units, activation and loss. */
interface Task {
  inputs: number;
  outputs: number;
  data: string;
  output: string;
  loss: string;
}

const inlineRows = (inputs: number, outputs: number, separator: string): fc.Arbitrary<string> =>
  fc.array(fc.tuple(
    fc.array(fc.constantFrom("0", "1", "-0.5", "2.5E+3", "1e-7", "0.25"), { minLength: inputs, maxLength: inputs }),
    fc.array(fc.constantFrom("0", "1"), { minLength: outputs, maxLength: outputs }),
  ), { minLength: 1, maxLength: 6 }).map((rows) => {
    const body = rows.map(([features, targets]) => `${features.join(" ")} -> ${targets.join(" ")}`);
    return separator === "\n" ? `{\n    ${body.join("\n    ")}\n  }` : `{ ${body.join(" ; ")} }`;
  });

const task: fc.Arbitrary<Task> = fc.oneof(
  fc.constantFrom("xor", "circles(samples: 100, noise: 0.1)", "moons(samples: 200, noise: 0.2)", "spiral(samples: 400, noise: 0.1)", "gaussian(samples: 50, noise: 0.5)")
    .map((data) => ({ inputs: 2, outputs: 1, data, output: "sigmoid", loss: "binary_cross_entropy" })),
  fc.constant({ inputs: 2, outputs: 3, data: "spiral(samples: 300, noise: 0.2, classes: 3)", output: "softmax", loss: "cross_entropy" }),
  fc.constant({ inputs: 1, outputs: 1, data: "sine(samples: 200, noise: 0)", output: "identity", loss: "mse" }),
  fc.constant({ inputs: 4, outputs: 3, data: "iris", output: "softmax", loss: "cross_entropy" }),
  fc.constant({ inputs: 2, outputs: 3, data: 'csv("data/fruit.csv", target: "fruit")', output: "softmax", loss: "cross_entropy" }),
  fc.record({ inputs: fc.integer({ min: 1, max: 4 }), outputs: fc.integer({ min: 1, max: 2 }), rowSeparator: fc.constantFrom("\n", ";") })
    .chain(({ inputs, outputs, rowSeparator }) => inlineRows(inputs, outputs, rowSeparator)
      .map((data) => ({ inputs, outputs, data, output: outputs === 1 ? "sigmoid" : "identity", loss: outputs === 1 ? "bce" : "mse" }))),
);

/** A choice for each hidden layer; resolved against the layers above it. */
const layerChoice = fc.record({
  kind: fc.constantFrom("dense", "dense", "dense", "add", "concat", "dropout"),
  units: fc.oneof(fc.integer({ min: 1, max: 32 }), fc.constantFrom(64, 128, 512)),
  activation: fc.option(fc.constantFrom(...hiddenActivations), { nil: undefined }),
  from: fc.option(fc.nat(), { nil: undefined }),
  init: fc.option(fc.constantFrom(...inits), { nil: undefined }),
  pick: fc.array(fc.nat(), { minLength: 2, maxLength: 3 }),
});

type LayerChoice = typeof layerChoice extends fc.Arbitrary<infer T> ? T : never;

function denseLayer(choice: LayerChoice, layerName: string, known: Known[]): { text: string; units: number } {
  const parts = [`layer ${layerName}: dense ${choice.units}`];
  if (choice.activation) parts.push(choice.activation);
  if (choice.from !== undefined) parts.push(`from ${known[choice.from % known.length]!.name}`);
  if (choice.init) parts.push(`init ${choice.init}`);
  return { text: parts.join(" "), units: choice.units };
}

function hiddenLayer(choice: LayerChoice, layerName: string, known: Known[]): { text: string; units: number } {
  if (choice.kind === "dropout") {
    const source = choice.from !== undefined ? known[choice.from % known.length]! : known[known.length - 1]!;
    const rate = [0, 0.1, 0.5, 0.95][choice.pick[0]! % 4];
    return { text: `layer ${layerName}: dropout ${rate}${choice.from !== undefined ? ` from ${source.name}` : ""}`, units: source.units };
  }
  if (choice.kind === "concat") {
    const parts = choice.pick.map((index) => known[index % known.length]!);
    return { text: `layer ${layerName}: concat(${parts.map((part) => part.name).join(", ")})`, units: parts.reduce((sum, part) => sum + part.units, 0) };
  }
  if (choice.kind === "add") {
    const first = known[choice.pick[0]! % known.length]!;
    const same = known.filter((layer) => layer.units === first.units && layer.name !== first.name);
    if (same.length > 0) {
      const second = same[choice.pick[1]! % same.length]!;
      return { text: `layer ${layerName}: add(${first.name}, ${second.name})`, units: first.units };
    }
  }
  return denseLayer(choice, layerName, known);
}

const trainSettings = fc.subarray([
  "optimizer adam(lr: 0.01)", "optimizer sgd(lr: 0.1, momentum: 0.9)", "epochs 300", "batch 16", "batch full", "validation 0.2",
  "seed 7", "shuffle true", "shuffle false", "l2 0.001", "l1 0.0001",
]);
const gradcheckSettings = fc.subarray(["epsilon 1e-7", "tolerance 1e-5", "samples 4", "max_params 2000"]);

function block(keyword: string, settings: string[], style: Separator): string {
  return style === "commas" ? `${keyword} { ${settings.join(", ")} }` : `${keyword} {\n    ${settings.join("\n    ")}\n  }`;
}

const network = fc.record({
  name,
  inputName: name,
  task,
  layers: fc.array(layerChoice, { minLength: 0, maxLength: 8 }),
  train: fc.option(trainSettings, { nil: undefined }),
  gradcheck: fc.option(gradcheckSettings, { nil: undefined }),
  style: fc.constantFrom<Separator>("lines", "lines", "commas"),
  blockStyle: fc.constantFrom<Separator>("lines", "commas"),
  settingsFirst: fc.boolean(),
  comments: fc.array(fc.tuple(fc.nat(), comment), { maxLength: 3 }),
}).map((choice) => {
  const known: Known[] = [{ name: choice.inputName, units: choice.task.inputs }];
  const layers = choice.layers.map((layer, index) => {
    const built = hiddenLayer(layer, `h${index + 1}`, known);
    known.push({ name: `h${index + 1}`, units: built.units });
    return built.text;
  });
  layers.push(`layer out: dense ${choice.task.outputs} ${choice.task.output}`);
  const settings = [`loss ${choice.task.loss}`, `data ${choice.task.data}`];
  if (choice.train) settings.push(block("train", choice.train, choice.blockStyle));
  if (choice.gradcheck) settings.push(block("gradcheck", choice.gradcheck, choice.blockStyle));
  const entries = [`input ${choice.inputName}: ${choice.task.inputs}`, ...(choice.settingsFirst ? [...settings, ...layers] : [...layers, ...settings])];
  for (const [at, text] of choice.comments) entries.splice(at % (entries.length + 1), 0, text);
  // a line comment ends its line, so only a block comment may be followed by a comma
  const joined = choice.style === "commas"
    ? entries.map((entry, i) => (i < entries.length - 1 ? (entry.startsWith("//") ? `${entry}\n` : `${entry}, `) : entry)).join("")
    : entries.join("\n  ");
  return choice.style === "commas" ? `network ${choice.name} { ${joined}\n}` : `network ${choice.name} {\n  ${joined}\n}`;
});

/** One to three valid networks, with optional comments and blank lines between them. */
export const validFile: fc.Arbitrary<string> = fc.tuple(
  fc.array(network, { minLength: 1, maxLength: 3 }),
  fc.option(comment, { nil: undefined }),
  fc.constantFrom("\n", "\n\n", "\n\n\n"),
  fc.boolean(),
).map(([networks, header, between, trailingNewline]) =>
  `${header ? `${header}\n` : ""}${networks.join(between)}${trailingNewline ? "\n" : ""}`);

/** Numbers at and past the edges of float64 and of the grammar. */
export const oddNumbers = ["1e308", "1e400", "-1e400", "-0", "00001", "1e-400", "9999999999999999999", "0.0000000000000000000001", "1e", "1.", ".5", "--1", "1e+", "NaN", "Infinity"];

/** Unicode that editors and parsers trip over, and structural debris. */
export const oddText = [
  "🧠", "👩‍👩‍👧", "\u202Eevil\u202C", "שלום", "مرحبا", "e\u0301\u0301\u0301", "\uD800", "\uDFFF", "\uDC00\uD800", "\u0000", "\uFEFF",
  "\r", "\r\r", "\u2028", "\u2029", "\u00A0", "\u200B", "\t", "\f\v", "{", "}", "(", ")", "->", ";", ",", ":", "/*", "*/", "//", '"', '\\"', "\\",
  "network", "layer", "input", "dense", "add(", "concat(", "from", "init", "train {", "gradcheck {", "data {", "loss", "full", "true",
];

const garbage = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...oddText, ...oddNumbers) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...keywords, "x", "1", "{", "}", "(", ")", ":", ",", "\n"), { maxLength: 6 }).map((words) => words.join(" ")) },
);

export type Mutation =
  | { kind: "delete" | "duplicate" | "cut"; at: number }
  | { kind: "swap" | "delete-range"; at: number; other: number }
  | { kind: "insert" | "replace"; at: number; text: string }
  | { kind: "line-ends"; to: "\r" | "\r\n" };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom("delete" as const, "duplicate" as const, "cut" as const), at: fc.nat() }),
  fc.record({ kind: fc.constantFrom("swap" as const, "delete-range" as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constantFrom("insert" as const, "replace" as const), at: fc.nat(), text: garbage }),
  fc.record({ kind: fc.constant("line-ends" as const), to: fc.constantFrom("\r" as const, "\r\n" as const) }),
);

/** Word-ish tokens, punctuation and comments: a rough split, enough to mutate on token boundaries. */
const roughToken = /\/\/[^\r\n]*|\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\r\n]|\\.)*"?|->|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_]\w*|\S/gu;

function tokenSpans(text: string): [number, number][] {
  return [...text.matchAll(roughToken)].map((match) => [match.index, match.index + match[0].length]);
}

/** Applies one mutation; positions are taken modulo the text's token count or length, so every value is meaningful. */
export function mutate(text: string, change: Mutation): string {
  if (change.kind === "line-ends") return text.replace(/\r\n|\n/g, change.to);
  const spans = tokenSpans(text);
  if (spans.length === 0) return change.kind === "insert" ? change.text + text : text;
  const [start, end] = spans[change.at % spans.length]!;
  switch (change.kind) {
    case "delete": return text.slice(0, start) + text.slice(end);
    case "duplicate": return text.slice(0, end) + (change.at % 2 ? " " : "") + text.slice(start, end) + text.slice(end);
    case "cut": return text.slice(0, change.at % (text.length + 1));
    case "insert": {
      const at = change.at % (text.length + 1);
      return text.slice(0, at) + change.text + text.slice(at);
    }
    case "replace": return text.slice(0, start) + change.text + text.slice(end);
    case "delete-range": {
      const [a, b] = [change.at % (text.length + 1), change.other % (text.length + 1)].sort((x, y) => x - y);
      return text.slice(0, a) + text.slice(b!);
    }
    case "swap": {
      const [first, second] = [spans[change.at % spans.length]!, spans[change.other % spans.length]!].sort((x, y) => x[0] - y[0]);
      if (first[1] > second[0]) return text;
      return text.slice(0, first[0]) + text.slice(second[0], second[1]) + text.slice(first[1], second[0]) + text.slice(first[0], first[1]) + text.slice(second[1]);
    }
  }
}

export interface FuzzCase {
  /** the valid file the mutations started from */
  valid: string;
  mutations: Mutation[];
  text: string;
}

/** A valid file, a third of the time as is, otherwise with one to four mutations. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.tuple(validFile, fc.oneof(
  { weight: 1, arbitrary: fc.constant<Mutation[]>([]) },
  { weight: 2, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }) },
)).map(([valid, mutations]) => ({ valid, mutations, text: mutations.reduce(mutate, valid) }));

/** What `npm run fuzz` draws: mostly fuzz cases, sometimes any string at all (any code unit, lone surrogates included). */
export const anyCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { weight: 9, arbitrary: fuzzCase },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 400 }).map((text): FuzzCase => ({ valid: "", mutations: [], text })) },
);

const megabyte = 1 << 20;
const small = "network n {\n  input x: 2\n  layer h: dense 3 tanh\n  layer out: dense 1 sigmoid\n  loss bce\n  data xor\n}\n";

/** Texts far outside what anyone types: 10,000-deep nesting and 1 MB lines; `heavy` ones (half a million tokens or more) run only in `npm run fuzz`. */
export function hugeCases(): { name: string; text: string; heavy?: boolean }[] {
  const deep = 10_000;
  return [
    { name: "10,000 nested { } in a network body", text: `network n {\n  input x: 2\n  ${"{".repeat(deep)}${"}".repeat(deep)}\n  layer out: dense 1 sigmoid\n  loss bce\n}\n` },
    { name: "10,000 nested { } at top level", text: "{".repeat(deep) + "}".repeat(deep) },
    { name: "10,000 unclosed {", text: `network n {${"{".repeat(deep)}` },
    { name: "10,000 nested ( ) in an argument list", text: `network n {\n  input x: 2\n  layer out: dense 1 leaky_relu${"(".repeat(deep)}${")".repeat(deep)}\n  loss bce\n}\n` },
    { name: "10,000 nested train { blocks", text: `network n {\n${"  train {\n".repeat(deep)}${"}\n".repeat(deep)}` },
    { name: "10,000 nested data { blocks", text: `network n {\n  data ${"{ ".repeat(deep)}0 -> 1${" }".repeat(deep)}\n}\n` },
    { name: "10,000 nested networks", text: "network n { ".repeat(deep) + "}".repeat(deep) },
    { name: "10,000 /* openers", text: "/* ".repeat(deep) + small },
    { name: "1 MB line comment", text: `// ${"x".repeat(megabyte)}\n${small}` },
    { name: "1 MB identifier", text: small.replace("layer h:", `layer ${"h".repeat(megabyte)}:`) },
    { name: "1 MB number", text: small.replace("dense 3", `dense ${"9".repeat(megabyte)}`) },
    { name: "1 MB string", text: small.replace("data xor", `data csv("${"a".repeat(megabyte)}", target: "y")`) },
    { name: "1 MB unterminated string", text: `${small}"${"s".repeat(megabyte)}` },
    { name: "1 MB of emoji", text: `network n { layer ${"🧠".repeat(megabyte / 4)} }`, heavy: true },
    { name: "1 MB of commas in a body", text: `network n { input x: 2${",".repeat(megabyte)} }`, heavy: true },
    // the suite formats and checks it in regressions.test.ts and sends it to the server in server.test.ts
    { name: "1 MB inline row", text: `network n {\n  input x: 2\n  data { ${"1 ".repeat(megabyte / 2)}-> 1 }\n}\n`, heavy: true },
    { name: "1 MB without a line end, CR only", text: small.replace(/\n/g, "\r").repeat(Math.ceil(megabyte / small.length)), heavy: true },
  ];
}
