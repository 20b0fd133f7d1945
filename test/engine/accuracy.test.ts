/**
 * Accuracy of a multi-label output (several sigmoid units with binary
 * cross-entropy) is the fraction of label decisions a ≥ 0.5 that match y,
 * over all labels and examples, not argmax(a) = argmax(y).
 */
import { describe, expect, it } from "vitest";
import { createNetwork, datasetFromRows, evaluateDataset, train, type NetworkSpec } from "../../server/src/engine/index";
import { dense } from "./helpers";

const spec = (units: number, output: "sigmoid" | "softmax", loss: NetworkSpec["loss"]): NetworkSpec => ({
  name: "labels", input: { name: "x", units: 1 }, layers: [dense("out", units, "x", { name: output })], loss,
});

// W = 0 and b = (2, −2, 2): every example decides (yes, no, yes), a ≈ (0.88, 0.12, 0.88)
function fixedNetwork(network: ReturnType<typeof createNetwork>): void {
  network.dense[0]!.weights.data.fill(0);
  network.dense[0]!.bias.set([2, -2, 2]);
}

// right labels per row: 3, 1, 1, 1 of 3 → 6/12; argmax would call rows 1–3 right (3/4)
const rows = [
  { x: [0], y: [1, 0, 1] },
  { x: [1], y: [1, 1, 0] },
  { x: [2], y: [0, 0, 0] },
  { x: [3], y: [0, 1, 1] },
];

describe("multi-label accuracy", () => {
  it("evaluate counts each label decision", () => {
    const network = createNetwork(spec(3, "sigmoid", "binary_cross_entropy"), { seed: 1 });
    fixedNetwork(network);
    expect(evaluateDataset(network, datasetFromRows(rows)).accuracy).toBeCloseTo(0.5, 15);
  });

  it("train reports the same per-label accuracy for its epoch", () => {
    const network = createNetwork(spec(3, "sigmoid", "binary_cross_entropy"), { seed: 1 });
    fixedNetwork(network);
    // one full batch: the epoch's accuracy is measured on the forward pass before the update
    const result = train(network, datasetFromRows(rows), { optimizer: { name: "sgd", lr: 1e-9, momentum: 0 }, epochs: 1, batch: "full", validation: 0, seed: 1, shuffle: false, l2: 0 });
    expect(result.history[0]!.accuracy).toBeCloseTo(0.5, 15);
  });

  it("keeps argmax for softmax classes and the 0.5 threshold for a single unit", () => {
    const softmax = createNetwork(spec(3, "softmax", "cross_entropy"), { seed: 1 });
    fixedNetwork(softmax);
    const oneHot = [{ x: [0], y: [1, 0, 0] }, { x: [1], y: [0, 1, 0] }, { x: [2], y: [0, 0, 1] }, { x: [3], y: [1, 0, 0] }];
    expect(evaluateDataset(softmax, datasetFromRows(oneHot)).accuracy).toBeCloseTo(0.5, 15);
    const single = createNetwork(spec(1, "sigmoid", "binary_cross_entropy"), { seed: 1 });
    single.dense[0]!.weights.data.fill(0);
    single.dense[0]!.bias.set([1]);
    expect(evaluateDataset(single, datasetFromRows([{ x: [0], y: [1] }, { x: [1], y: [0] }, { x: [2], y: [1] }])).accuracy).toBeCloseTo(2 / 3, 15);
  });
});
