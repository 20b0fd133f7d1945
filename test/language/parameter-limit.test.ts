/** nnet/too-many-parameters: the checker refuses a network above 64,000,000 parameters at the layer that crosses the limit. */
import { describe, expect, it } from "vitest";
import { analyze } from "../../server/src/language/index";

const network = (input: number, layers: string[], train = ""): string =>
  `network n {\n input x: ${input}\n${layers.map((layer, i) => ` layer l${i}: ${layer}\n`).join("")} layer out: dense 1 sigmoid\n loss bce\n data xor\n${train}}\n`;

const limitErrors = (text: string) => analyze(text).diagnostics.filter((d) => d.code === "nnet/too-many-parameters");

describe("the parameter limit", () => {
  it("allows a network of exactly 64,000,000 parameters and refuses one more", () => {
    // one output unit over n inputs has n + 1 parameters
    const exact = `network n {\n input x: 63999999\n layer out: dense 1 sigmoid\n loss bce\n}\n`;
    expect(limitErrors(exact)).toEqual([]);
    expect(analyze(exact).model.networks[0]!.totalParams).toBe(64_000_000);
    const over = `network n {\n input x: 64000000\n layer out: dense 1 sigmoid\n loss bce\n}\n`;
    const [error] = limitErrors(over);
    expect(error!.severity).toBe("error");
    expect(over.slice(error!.span.start, error!.span.end)).toBe("1");
  });

  it("names the layer whose running total crosses the limit, with parameters and bytes", () => {
    const text = network(2, ["dense 8000 relu", "dense 8000 relu", "dense 8000 relu"], " train { optimizer adam(lr: 0.01) }\n");
    const errors = limitErrors(text);
    expect(errors).toHaveLength(1);
    expect(text.slice(0, errors[0]!.span.start).split("\n").length).toBe(4); // l1, the second layer
    expect(errors[0]!.message).toBe(
      "the network has 64,032,000 parameters up to layer 'l1' (64,008,000 in this layer), more than the limit of 64,000,000: "
      + "512 MB of float64 weights, 2.05 GB to train with adam (weights, gradients and optimizer state); use fewer units");
  });

  it("refuses dense 100000000 that once checked clean, and compiles nothing to train", () => {
    const analysis = analyze(network(2, ["dense 100000000 relu"]));
    expect(analysis.diagnostics.map((d) => d.code)).toEqual(["nnet/too-many-parameters"]);
    expect(analysis.diagnostics[0]!.message).toContain("300,000,000 parameters");
    expect(analysis.diagnostics[0]!.message).toContain("2.4 GB of float64 weights, 7.2 GB to train with sgd");
    expect(analysis.model.networks[0]!.spec).toBeUndefined();
  });
});
