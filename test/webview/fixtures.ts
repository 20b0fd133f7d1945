/** Messages a real run would send: a 2-8-8-1 classifier on a circle, with deterministic noise. */
import type {
  DecisionGrid, EpochMetrics, GradcheckReport, HostMessage, NetworkSummary,
} from "../../server/src/protocol";

export const summary: NetworkSummary = {
  network: "circle",
  loss: "binary_cross_entropy",
  totalParams: 105,
  layers: [
    { name: "x", kind: "input", units: 2, from: [], params: 0 },
    { name: "h1", kind: "dense", units: 8, activation: "tanh", from: ["x"], params: 24 },
    { name: "h2", kind: "dense", units: 8, activation: "tanh", from: ["h1"], params: 72 },
    { name: "out", kind: "dense", units: 1, activation: "sigmoid", from: ["h2"], params: 9 },
  ],
};

/** Deterministic noise in [-1, 1]. */
const noise = (i: number) => Math.sin(i * 12.9898 + 78.233) * 0.5 + Math.sin(i * 4.1414) * 0.5;

export function epochMetrics(epoch: number, layerNames = ["h1", "h2", "out"]): EpochMetrics {
  const decay = Math.exp(-epoch / 60);
  return {
    epoch,
    loss: 0.05 + 0.65 * decay + 0.03 * noise(epoch),
    valLoss: 0.08 + 0.62 * decay + 0.04 * noise(epoch + 7),
    accuracy: Math.min(1, 0.5 + 0.48 * (1 - decay) + 0.02 * noise(epoch + 3)),
    valAccuracy: Math.min(1, 0.5 + 0.45 * (1 - decay) + 0.03 * noise(epoch + 5)),
    layers: [
      { layer: "x", gradNorm: 0, meanAbsDelta: 0, updateRatio: 0 },
      ...layerNames.map((layer, k) => ({
        layer,
        // earlier layers get smaller gradients: the vanishing-gradient picture
        gradNorm: (0.5 * decay + 0.01) * 10 ** -k * (1 + 0.2 * noise(epoch * 3 + k)),
        meanAbsDelta: 0.1 * decay + 0.001,
        updateRatio: 1e-3 * (1 + decay),
      })),
    ],
  };
}

export const runMessage = (epochs: number): HostMessage => ({
  type: "run", jobId: "job-1", network: "circle", kind: "train", epochs, summary,
});

export function decisionGrid(resolution = 40): DecisionGrid {
  const values: number[] = [];
  const at = (i: number) => -2 + (4 * i) / (resolution - 1);
  for (let row = 0; row < resolution; row++) {
    for (let col = 0; col < resolution; col++) {
      const r2 = at(col) ** 2 + at(row) ** 2;
      values.push(1 / (1 + Math.exp(4 * (r2 - 1.5))));
    }
  }
  const points = Array.from({ length: 120 }, (_, i) => {
    const angle = i * 2.399;
    const radius = i % 2 === 0 ? 0.3 + 0.6 * Math.abs(noise(i)) : 1.5 + 0.4 * Math.abs(noise(i));
    return { x: radius * Math.cos(angle), y: radius * Math.sin(angle), label: i % 2 === 0 ? 1 : 0 };
  });
  return { xMin: -2, xMax: 2, yMin: -2, yMax: 2, resolution, values, points };
}

export const gradcheckReport: GradcheckReport = {
  network: "circle",
  epsilon: 1e-5,
  tolerance: 1e-5,
  passed: false,
  rows: [
    { layer: "h1", param: "W", maxRelError: 2.1e-9, medianRelError: 3.4e-10, worst: { row: 3, col: 1 }, kinks: 0, clips: 0, checked: 16, total: 16, passed: true },
    { layer: "h1", param: "b", maxRelError: 8.8e-10, medianRelError: 1.2e-10, worst: { row: 5, col: 0 }, kinks: 0, clips: 0, checked: 8, total: 8, passed: true },
    { layer: "h2", param: "W", maxRelError: 3.2e-3, medianRelError: 4.1e-6, worst: { row: 2, col: 7 }, kinks: 0, clips: 0, checked: 64, total: 64, passed: false },
    { layer: "out", param: "W", maxRelError: 6.3e-8, medianRelError: 2.2e-9, worst: { row: 0, col: 4 }, kinks: 2, clips: 0, checked: 8, total: 8, passed: true },
  ],
};
