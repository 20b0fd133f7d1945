/** A diverged run names its likely cause from the settings, not always the learning rate (issue 11). */
import { describe, expect, it } from "vitest";
import {
  TrainingDivergedError, createNetwork, datasetFromRows, defaultTrainSpec, divergenceAdvice, explainDivergence, train,
  type NetworkSpec, type TrainSpec,
} from "../../server/src/engine/index";
import { dense } from "./helpers";

const network = (std = 0.5): NetworkSpec => ({
  name: "n", input: { name: "x", units: 2 }, layers: [dense("h", 8, "x", { name: "identity" }, std), dense("out", 1, "h", { name: "identity" })], loss: "mse",
});
const sgd = (lr: number, extra: Partial<TrainSpec> = {}, momentum = 0): TrainSpec => ({ ...defaultTrainSpec, optimizer: { name: "sgd", lr, momentum }, ...extra });
const adam = (lr: number, l2: number): TrainSpec => ({ ...defaultTrainSpec, optimizer: { name: "adam", lr, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, l2 });

describe("the advice of a diverged run", () => {
  it.each([
    ["l2 1e300 with sgd", network(), sgd(0.1, { l2: 1e300 }), /^l2 1e300 is too large for lr 0\.1: each step scales W by 1 − lr·l2 = -1e299/],
    ["l2 1e6 with adam", network(), adam(0.01, 1e6), /^l2 1000000 is very large/],
    ["lr 1000", network(), sgd(1000), /^try a smaller learning rate than lr 1000 \(sgd usually needs 0\.001 to 0\.5\)/],
    ["normal(std: 1e200)", network(1e200), sgd(0.1), /^layer 'h' starts from normal\(std: 1e200\) weights/],
    ["momentum 0.9999", network(), sgd(0.1, {}, 0.9999), /^momentum 0\.9999 lets the steps build up/],
    ["nothing out of the ordinary", network(), sgd(0.1), /^try a smaller learning rate than lr 0\.1/],
    ["rmsprop lr 5", network(), { ...defaultTrainSpec, optimizer: { name: "rmsprop", lr: 5, rho: 0.99, eps: 1e-8, momentum: 0 } }, /^try a smaller learning rate than lr 5 \(rmsprop usually needs 1e-4 to 0\.01\)$/],
    ["rmsprop momentum 0.9999", network(), { ...defaultTrainSpec, optimizer: { name: "rmsprop", lr: 0.01, rho: 0.99, eps: 1e-8, momentum: 0.9999 } }, /^rmsprop momentum 0\.9999 lets the steps build up/],
    ["adamw weight_decay 1000 at lr 0.01", network(), { ...defaultTrainSpec, optimizer: { name: "adamw", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1000 } },
      /^adamw weight_decay 1000 is too large for lr 0\.01: each step scales W by 1 − lr·weight_decay = -9, so W grows instead of decaying; use weight_decay below 200/],
  ] as [string, NetworkSpec, TrainSpec, RegExp][])("%s", (_what, spec, settings, advice) => {
    expect(divergenceAdvice(spec, settings)).toMatch(advice);
  });

  it("a run that diverges in its first epochs without a warmup is told about one, after the learning rate", () => {
    const advice = divergenceAdvice(network(), { ...adam(5, 0), schedule: { name: "cosine", minLr: 0, warmup: 0 } }, 1);
    expect(advice).toBe("try a smaller learning rate than lr 5 (adam usually needs 1e-4 to 0.01); or warm up: schedule cosine(…, warmup: 5) starts at lr/6 and reaches lr in epoch 6");
    expect(divergenceAdvice(network(), { ...adam(5, 0), schedule: { name: "cosine", minLr: 0, warmup: 3 } }, 1)).not.toContain("warm up");
    expect(divergenceAdvice(network(), adam(5, 0), 40)).not.toContain("warm up");
  });

  it("a run that really diverges from adamw's weight decay is told so first", () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ x: [i, 1 - i], y: [i % 2] }));
    const settings: TrainSpec = { ...defaultTrainSpec, optimizer: { name: "adamw", lr: 1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1000 }, epochs: 200, batch: "full" };
    let caught: unknown;
    try {
      train(createNetwork(network(), { seed: 1 }), datasetFromRows(rows), settings);
    } catch (error) {
      caught = error instanceof TrainingDivergedError ? explainDivergence(error, network(), settings) : error;
    }
    expect(caught).toBeInstanceOf(TrainingDivergedError);
    expect((caught as Error).message).toMatch(/; adamw weight_decay 1000 is too large for lr 1: each step scales W by 1 − lr·weight_decay = -999/);
  });

  it("puts the worst first and keeps the others", () => {
    const advice = divergenceAdvice(network(), sgd(50, { l2: 1e300 }));
    expect(advice.indexOf("l2 1e300")).toBe(0);
    expect(advice).toContain("; or try a smaller learning rate than lr 50");
  });

  it("names the init when a run really diverges from huge initial weights, with the same epoch and layer", () => {
    const spec = network(1e200);
    const rows = Array.from({ length: 8 }, (_, i) => ({ x: [i, 1 - i], y: [i % 2] }));
    const settings = sgd(0.01, { epochs: 3, batch: "full" });
    let caught: unknown;
    try {
      train(createNetwork(spec, { seed: 1 }), datasetFromRows(rows), settings);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TrainingDivergedError);
    const plain = caught as TrainingDivergedError;
    expect(plain.message).toMatch(/; try a smaller learning rate$/);
    const explained = explainDivergence(plain, spec, settings);
    expect(explained.message).toBe(`${plain.message.replace(/; try a smaller learning rate$/, "")}; ${divergenceAdvice(spec, settings)}`);
    expect(explained.message).toContain("layer 'h' starts from normal(std: 1e200) weights");
    expect([explained.epoch, explained.layer, explained.quantity, explained.history]).toEqual([plain.epoch, plain.layer, plain.quantity, plain.history]);
  });
});
