/** From .nnet text to a job: which network, which errors stop it, and the overrides. */
import { describe, expect, it } from "vitest";
import { compileJob } from "../../server/src/training/index";
import { example } from "./helpers";

const two = `network first {
  input x: 2
  layer out: dense 1 sigmoid
  loss bce
  data xor
  train { epochs 7, seed 4 }
}
network second {
  input x: 2
  layer out: dense 1 tahn
  loss bce
  data xor
}
`;

describe("compileJob", () => {
  it("takes the first network by default, and is not stopped by another network's errors", () => {
    const compiled = compileJob({ kind: "train", text: two });
    expect(compiled.ok && compiled.request.network.name).toBe("first");
    expect(compiled.ok && compiled.request.train).toMatchObject({ epochs: 7, seed: 4 });
  });

  it("refuses the named network with its own errors at FILE:LINE:COL", () => {
    const compiled = compileJob({ kind: "train", text: two, network: "second", displayName: "two.nnet" });
    expect(compiled).toEqual({
      ok: false, usage: false,
      problems: ["two.nnet:10:22: error nnet/unknown-activation: unknown activation 'tahn'; did you mean 'tanh'?"],
      // the same error where the editor points at it: 0-based line and character
      network: "second",
      errors: [{ line: 9, character: 21, code: "nnet/unknown-activation", message: "unknown activation 'tahn'; did you mean 'tanh'?" }],
    });
  });

  it("answers an unknown network as a usage problem with a suggestion", () => {
    const compiled = compileJob({ kind: "train", text: two, network: "frist", displayName: "two.nnet" });
    expect(compiled).toEqual({ ok: false, usage: true, problems: ["two.nnet: no network named 'frist'; did you mean 'first'? (networks: first, second)"] });
    expect(compileJob({ kind: "train", text: "// nothing here\n", displayName: "e.nnet" })).toMatchObject({ usage: true, problems: ["e.nnet: no network in the file (networks: none)"] });
  });

  it("applies --epochs and --seed, caps epochs by maxEpochs, and passes the gradient-check settings", () => {
    const compiled = compileJob({ kind: "train", ...example("spiral.nnet"), epochs: 50, seed: 9, maxEpochs: 20, gradcheckAfter: true, tolerance: 1e-4, threads: 3 });
    if (!compiled.ok) throw new Error(compiled.problems.join("\n"));
    expect(compiled.request.threads).toBe(3);
    expect(compiled.request.train).toMatchObject({ epochs: 20, seed: 9, batch: 16, validation: 0.2 });
    expect(compiled.request.gradcheck).toMatchObject({ epsilon: 1e-7, tolerance: 1e-4 });
    expect(compiled.request.gradcheckAfter).toBe(true);
    expect(compiled.summary.totalParams).toBe(337);
  });

  it("refuses maxEpochs 0, a fraction, or epochs 0, instead of a run that 'completes' no epoch", () => {
    for (const [extra, said] of [
      [{ maxEpochs: 0 }, "maxEpochs (the nnet.train.maxEpochs setting) must be a whole number ≥ 1, got 0"],
      [{ maxEpochs: 2.5 }, "must be a whole number ≥ 1, got 2.5"],
      [{ epochs: 0 }, "epochs must be a whole number ≥ 1, got 0"],
      [{ seed: -1 }, "seed must be a whole number ≥ 0, got -1"],
      [{ threads: 0 }, "threads (the nnet.train.threads setting) must be a whole number ≥ 1, got 0"],
      [{ threads: 1.5 }, "must be a whole number ≥ 1, got 1.5"],
    ] as const) {
      expect(compileJob({ kind: "train", text: two, ...extra })).toEqual({ ok: false, usage: true, problems: [said.startsWith("must") ? expect.stringContaining(said) : said] });
    }
  });

  it("refuses a name two networks share, naming both lines", () => {
    const twins = two.replace("network second", "network first");
    expect(compileJob({ kind: "train", text: twins, network: "first", displayName: "t.nnet" })).toEqual({
      ok: false, usage: true, problems: ["t.nnet: 2 networks are named 'first' (lines 1 and 8); rename one of them so that the name picks one network"],
    });
  });

  it("describes a CSV source with the checker's labels and the workspace it may be read from", () => {
    const compiled = compileJob({ kind: "train", ...example("csv.nnet") });
    if (!compiled.ok) throw new Error(compiled.problems.join("\n"));
    expect(compiled.request.data.csv).toMatchObject({ shown: "data/fruit.csv", targets: ["fruit"], targetKind: "classes", labels: ["apple", "banana", "cherry"] });
    expect(compiled.request.data.files?.root).toMatch(/examples$/);
  });
});
