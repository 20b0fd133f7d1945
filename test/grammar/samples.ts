/**
 * Lines of .nnet and the scope each listed word must get: the innermost
 * scope of the token that is exactly that text. Lines of one sample are
 * tokenized together, so block comments and strings carry across lines.
 */
export interface ScopeSample {
  title: string;
  lines: string[];
  expect: [text: string, scope: string][];
}

export const scopeSamples: ScopeSample[] = [
  {
    title: "network header and input",
    lines: ["network spiral {", "  input x: 2"],
    expect: [
      ["network", "keyword.other.network.nnet"],
      ["spiral", "entity.name.type.network.nnet"],
      ["{", "punctuation.section.block.begin.nnet"],
      ["input", "keyword.other.input.nnet"],
      ["x", "entity.name.function.input.nnet"],
      [":", "punctuation.separator.key-value.nnet"],
      ["2", "constant.numeric.nnet"],
    ],
  },
  {
    title: "dense layer with activation, from and init",
    lines: ["layer h2: dense 16 leaky_relu(alpha: 0.01) from h1 init normal(std: -0.5)"],
    expect: [
      ["layer", "keyword.other.layer.nnet"],
      ["h2", "entity.name.function.layer.nnet"],
      ["dense", "keyword.other.nnet"],
      ["16", "constant.numeric.nnet"],
      ["leaky_relu", "support.function.activation.nnet"],
      ["alpha", "variable.parameter.nnet"],
      ["0.01", "constant.numeric.nnet"],
      ["from", "keyword.other.from.nnet"],
      ["h1", "variable.other.layer.nnet"],
      ["init", "keyword.other.nnet"],
      ["normal", "support.function.initialiser.nnet"],
      ["std", "variable.parameter.nnet"],
      ["-0.5", "constant.numeric.nnet"],
    ],
  },
  {
    title: "add and concat list layers",
    lines: ["layer sum: add(h1, h2)", "layer both: concat(a, b)"],
    expect: [
      ["add", "keyword.other.nnet"],
      ["(", "punctuation.section.parens.begin.nnet"],
      ["h1", "variable.other.layer.nnet"],
      [",", "punctuation.separator.comma.nnet"],
      ["h2", "variable.other.layer.nnet"],
      [")", "punctuation.section.parens.end.nnet"],
      ["concat", "keyword.other.nnet"],
      ["b", "variable.other.layer.nnet"],
    ],
  },
  {
    title: "loss, data source and train block",
    lines: [
      "loss binary_cross_entropy",
      "data spiral(samples: 400, noise: 0.1)",
      "train { optimizer adam(lr: 0.01), batch full, shuffle false }",
    ],
    expect: [
      ["loss", "keyword.other.nnet"],
      ["binary_cross_entropy", "support.function.loss.nnet"],
      ["data", "keyword.other.nnet"],
      ["spiral", "support.function.data.nnet"],
      ["samples", "variable.parameter.nnet"],
      ["400", "constant.numeric.nnet"],
      ["train", "keyword.other.nnet"],
      ["optimizer", "support.type.property-name.nnet"],
      ["adam", "support.function.optimizer.nnet"],
      ["lr", "variable.parameter.nnet"],
      ["batch", "support.type.property-name.nnet"],
      ["full", "constant.language.full.nnet"],
      ["false", "constant.language.boolean.nnet"],
      ["}", "punctuation.section.block.end.nnet"],
    ],
  },
  {
    title: "numbers with exponents",
    lines: ["gradcheck { epsilon 1e-7, tolerance 2.5E+3 }"],
    expect: [
      ["gradcheck", "keyword.other.nnet"],
      ["epsilon", "support.type.property-name.nnet"],
      ["1e-7", "constant.numeric.nnet"],
      ["tolerance", "support.type.property-name.nnet"],
      ["2.5E+3", "constant.numeric.nnet"],
    ],
  },
  {
    title: "inline rows",
    lines: ["data { 0 1 -> 1 ; 1 1 -> 0 }"],
    expect: [
      ["->", "keyword.operator.arrow.nnet"],
      [";", "punctuation.separator.row.nnet"],
      ["0", "constant.numeric.nnet"],
    ],
  },
  {
    title: "csv source with an escaped string",
    lines: ['data csv("data/iris \\"v2\\".csv", target: "species")'],
    expect: [
      ["csv", "support.function.data.nnet"],
      ['\\"', "constant.character.escape.nnet"],
      ["data/iris ", "string.quoted.double.nnet"],
      ["target", "variable.parameter.nnet"],
      ["species", "string.quoted.double.nnet"],
    ],
  },
  {
    title: "comments",
    lines: ["layer a: dense 4 // tanh here is a comment", "/* layer b:", "   dense 3 */ loss mse"],
    expect: [
      ["//", "punctuation.definition.comment.nnet"],
      [" tanh here is a comment", "comment.line.double-slash.nnet"],
      ["/*", "punctuation.definition.comment.begin.nnet"],
      [" layer b:", "comment.block.nnet"],
      ["   dense 3 ", "comment.block.nnet"],
      ["*/", "punctuation.definition.comment.end.nnet"],
      ["mse", "support.function.loss.nnet"],
    ],
  },
  {
    title: "a misspelt name is a plain identifier",
    lines: ["layer out: dense 1 tahn"],
    expect: [["tahn", "variable.other.nnet"]],
  },
];
