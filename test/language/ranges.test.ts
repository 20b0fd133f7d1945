/**
 * Issue 11: every number a user writes is checked against its range, with
 * the range in the message, at the number's own token; none ever silently
 * becomes a default (the network then compiles to no spec at all).
 */
import { describe, expect, it } from "vitest";
import { analyze, LineIndex, type FileAccess } from "../../server/src/language/index";

// V marks where the value goes
const network = (parts: { layer?: string; data?: string; train?: string; gradcheck?: string; input?: string }): string => `network n {
  input x: ${parts.input ?? "2"}
  layer h: ${parts.layer ?? "dense 4 tanh"}
  layer out: dense 1 sigmoid
  loss bce
  data ${parts.data ?? "xor"}
  train { ${parts.train ?? "epochs 5"} }
  gradcheck { ${parts.gradcheck ?? "samples 2"} }
}
`;

interface Case {
  setting: string;
  text: string;
  bad: string[];
  range: string;
}

const positiveNumber = "a number greater than 0";
const nonNegative = "a number, 0 or more";
const fraction = "a number in [0, 1)";
const counts = "a whole number from 1 to 1,000,000";

const cases: Case[] = [
  { setting: "leaky_relu alpha", text: network({ layer: "dense 4 leaky_relu(alpha: V)" }), bad: ["1e309", "-0.1"], range: nonNegative },
  { setting: "elu alpha", text: network({ layer: "dense 4 elu(alpha: V)" }), bad: ["1e309", "0"], range: positiveNumber },
  { setting: "normal std", text: network({ layer: "dense 4 tanh init normal(std: V)" }), bad: ["1e309", "0"], range: positiveNumber },
  { setting: "uniform limit", text: network({ layer: "dense 4 tanh init uniform(limit: V)" }), bad: ["1e309", "-1"], range: positiveNumber },
  { setting: "dense units", text: network({ layer: "dense V tanh" }), bad: ["1e309", "0"], range: "units must be a whole number" },
  { setting: "input units", text: network({ input: "V" }), bad: ["1e309", "-2"], range: "units must be a whole number" },
  { setting: "sgd lr", text: network({ train: "optimizer sgd(lr: V)" }), bad: ["1e309", "0", "-1e309"], range: positiveNumber },
  { setting: "sgd momentum", text: network({ train: "optimizer sgd(momentum: V)" }), bad: ["1e309", "1", "-0.5"], range: fraction },
  { setting: "adam lr", text: network({ train: "optimizer adam(lr: V)" }), bad: ["1e309", "-0.01"], range: positiveNumber },
  { setting: "adam beta1", text: network({ train: "optimizer adam(beta1: V)" }), bad: ["1e309", "1"], range: fraction },
  { setting: "adam beta2", text: network({ train: "optimizer adam(beta2: V)" }), bad: ["1e309", "1.5"], range: fraction },
  { setting: "adam eps", text: network({ train: "optimizer adam(eps: V)" }), bad: ["1e309", "0"], range: positiveNumber },
  { setting: "epochs", text: network({ train: "epochs V" }), bad: ["1e309", "0", "1000001"], range: counts },
  { setting: "batch", text: network({ train: "batch V" }), bad: ["1e309", "0", "2000000"], range: `${counts}, or full` },
  { setting: "validation", text: network({ train: "validation V" }), bad: ["1e309", "1", "-0.2"], range: fraction },
  { setting: "seed", text: network({ train: "seed V" }), bad: ["1e309", "1e16", "-1e16"], range: "a whole number from -9,007,199,254,740,991 to 9,007,199,254,740,991" },
  { setting: "l2", text: network({ train: "l2 V" }), bad: ["1e309", "-1"], range: nonNegative },
  { setting: "gradcheck epsilon", text: network({ gradcheck: "epsilon V" }), bad: ["1e309", "0", "2"], range: "a number in (0, 1]" },
  { setting: "gradcheck tolerance", text: network({ gradcheck: "tolerance V" }), bad: ["1e309", "0", "1.5"], range: "a number in (0, 1]" },
  { setting: "gradcheck samples", text: network({ gradcheck: "samples V" }), bad: ["1e309", "0", "1000001"], range: counts },
  { setting: "gradcheck max_params", text: network({ gradcheck: "max_params V" }), bad: ["1e309", "0", "64000001"], range: "a whole number from 1 to 64,000,000" },
  { setting: "moons samples", text: network({ data: "moons(samples: V)" }), bad: ["1e309", "0", "1000001"], range: counts },
  { setting: "moons noise", text: network({ data: "moons(noise: V)" }), bad: ["1e309", "-0.1"], range: nonNegative },
  { setting: "sine noise", text: network({ data: "sine(noise: V)", input: "1" }), bad: ["1e309"], range: nonNegative },
  { setting: "spiral classes", text: network({ data: "spiral(classes: V)" }), bad: ["1e309", "1", "0", "1000001"], range: "a whole number from 2 to 1,000,000" },
  { setting: "csv classes", text: network({ data: 'csv("t.csv", target: "label", classes: V)' }), bad: ["1e309", "0", "1000001"], range: counts },
  { setting: "an inline feature", text: network({ data: "{ V 0 -> 1 ; 1 1 -> 0 }" }), bad: ["1e309", "-1e400"], range: "a finite number" },
  { setting: "an inline target", text: network({ data: "{ 0 0 -> V ; 1 1 -> 0 }" }), bad: ["1e309"], range: "a finite number" },
];

const files: FileAccess = { readFile: () => "a,b,label\n1,2,x\n3,4,y\n", resolve: (_from, relative) => `/d/${relative}` };

describe("a number outside its range is an error at its token, with the range", () => {
  const rows = cases.flatMap((c) => c.bad.map((value) => [c.setting, value, c] as const));
  it.each(rows)("%s = %s", (_setting, value, c) => {
    const text = c.text.replace("V", value);
    const start = c.text.indexOf("V");
    const lines = new LineIndex(text);
    const where = lines.position(start);
    const analysis = analyze(text, { path: "/d/n.nnet", files });
    const atToken = analysis.diagnostics.filter((d) => d.span.start === start && d.span.end === start + value.length && d.severity === "error");
    expect(atToken.map((d) => d.code), `an error at ${where.line + 1}:${where.character + 1}`).toHaveLength(1);
    expect(["nnet/out-of-range", "nnet/non-positive", "nnet/validation-range"]).toContain(atToken[0]!.code);
    expect(atToken[0]!.message).toContain(value);
    expect(atToken[0]!.message).toContain(c.range);
    if (!Number.isFinite(Number(value))) expect(atToken[0]!.code).toBe("nnet/out-of-range");
    // and only there: no shape or count is derived from it to give a second, confusing error
    expect(analysis.diagnostics.filter((d) => d.severity === "error" && d !== atToken[0]).map((d) => d.message)).toEqual([]);
    // nothing was compiled with a default in place of what was written
    expect(analysis.model.networks[0]!.train).toBeUndefined();
  });

  it("accepts the ends of every range", () => {
    const edges = [
      network({ layer: "dense 4 leaky_relu(alpha: 0)", train: "optimizer sgd(lr: 1e300, momentum: 0), epochs 1000000, batch 1000000, validation 0, seed -9007199254740991, l2 1e300", gradcheck: "epsilon 1, tolerance 1, samples 1000000, max_params 64000000" }),
      network({ data: "spiral(samples: 1000000, noise: 0, classes: 2)", train: "optimizer adam(beta1: 0, beta2: 0.9999999, eps: 1e-300), seed 9007199254740991" }),
    ];
    for (const text of edges) expect(analyze(text).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
