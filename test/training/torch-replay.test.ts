/**
 * Every optimizer and schedule against PyTorch: each run is compiled from
 * .nnet text and trained by the job code the worker runs, then replayed by
 * torch.optim and torch.optim.lr_scheduler (float64) from the same initial
 * weights on the same batches (torch_replay.py). The final weights agree to
 * rounding, and so does each epoch's learning rate.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createNetwork, exportWeights, type SavedWeights } from "../../server/src/engine/index";
import { prepareJob, runJob, type JobRequest, type JobResult, type WorkerMessage } from "../../server/src/training/index";
import { request } from "./helpers";

const python = "/usr/bin/python3";
const hasTorch = spawnSync(python, ["-c", "import torch"], { encoding: "utf8" }).status === 0;
if (!hasTorch) console.warn("torch replay skipped: /usr/bin/python3 cannot import torch (apt install python3-torch)");

const cases: Record<string, { optimizer: string; schedule?: string; l2?: number }> = {
  "sgd nesterov + step": { optimizer: "sgd(lr: 0.05, momentum: 0.9, nesterov: true)", schedule: "step(every: 2, gamma: 0.5)", l2: 1e-3 },
  "sgd momentum + exponential": { optimizer: "sgd(lr: 0.05, momentum: 0.8)", schedule: "exponential(gamma: 0.9)" },
  "sgd + exponential warmup": { optimizer: "sgd(lr: 0.1)", schedule: "exponential(gamma: 0.8, warmup: 2)" },
  "adam + step warmup": { optimizer: "adam(lr: 0.01)", schedule: "step(every: 3, gamma: 0.3, warmup: 1)" },
  "adamw + cosine": { optimizer: "adamw(lr: 0.02, weight_decay: 0.05)", schedule: "cosine(min_lr: 1e-3)" },
  "adamw with l2": { optimizer: "adamw(lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weight_decay: 0.1)", l2: 1e-2 },
  "rmsprop momentum + cosine warmup": { optimizer: "rmsprop(lr: 0.01, rho: 0.9, eps: 1e-6, momentum: 0.5)", schedule: "cosine(min_lr: 1e-4, warmup: 2)" },
  "rmsprop + constant warmup": { optimizer: "rmsprop(lr: 0.005)", schedule: "constant(warmup: 3)", l2: 1e-3 },
};

const source = (optimizer: string, schedule: string | undefined, l2: number): string => `network replay {
  input x: 1
  layer h: dense 8 tanh
  layer mid: dense 5 sigmoid
  layer out: dense 1
  loss mse
  data sine(samples: 24, noise: 0.1)
  train {
    optimizer ${optimizer}
    ${schedule ? `schedule ${schedule}` : ""}
    l2 ${l2}
    epochs 8
    batch 5
    shuffle false
    seed 4
  }
}
`;

function engineRun(job: JobRequest): JobResult {
  let result: JobResult | undefined;
  runJob(job, {
    post: (message: WorkerMessage) => { if (message.type === "done") result = message.result; else if (message.type === "failed") throw new Error(message.failure.message); },
    shouldStop: () => false,
  });
  return result!;
}

// The run as torch_replay.py reads it: weights, activations, the prepared rows one per example.
function replayInput(job: JobRequest, initial: SavedWeights): Record<string, unknown> {
  const { train } = prepareJob(job).data;
  const rows = (m: { rows: number; cols: number; data: Float64Array }): number[][] =>
    Array.from({ length: m.cols }, (_, c) => Array.from({ length: m.rows }, (_, r) => m.data[r * m.cols + c]));
  const activations = new Map(job.network.layers.map((l) => [l.name, l.kind === "dense" ? l.activation.name : "identity"]));
  return {
    layers: initial.layers.map((l) => ({ units: l.units, fanIn: l.fanIn, W: Array.from(l.W), b: Array.from(l.b), activation: activations.get(l.name) })),
    x: rows(train.x), y: rows(train.y), batch: job.train.batch, train: job.train,
  };
}

/** max |engine − torch| / max |torch| over one tensor */
function difference(engine: Float64Array, torch: number[]): number {
  let worst = 0, scale = 0;
  torch.forEach((t, i) => { worst = Math.max(worst, Math.abs(engine[i] - t)); scale = Math.max(scale, Math.abs(t)); });
  return worst / scale;
}

describe.skipIf(!hasTorch)("optimizers and schedules replayed by torch.optim", () => {
  const runs = Object.entries(cases).map(([name, c]) => {
    const job = request({ kind: "train", text: source(c.optimizer, c.schedule, c.l2 ?? 0) });
    const initial = exportWeights(createNetwork(job.network, { seed: job.train.seed }));
    return { name, job, initial, result: engineRun(job) };
  });
  const replayed = spawnSync(python, [join(__dirname, "torch_replay.py")], { input: JSON.stringify(runs.map((r) => replayInput(r.job, r.initial))), encoding: "utf8" });
  if (replayed.status !== 0) throw new Error(replayed.stderr);
  const torch = JSON.parse(replayed.stdout) as { layers: { W: number[]; b: number[] }[]; lrs: number[] }[];

  it.each(runs.map((run, i) => [run.name, i] as const))("%s: weights after 8 epochs (40 steps) and each epoch's learning rate", (_name, i) => {
    const { result, initial } = runs[i];
    const weights = result.weights!.layers;
    let worst = 0;
    weights.forEach((layer, l) => {
      worst = Math.max(worst, difference(layer.W, torch[i].layers[l].W), difference(layer.b, torch[i].layers[l].b));
      // the run moved the weights: agreement is not the initial weights agreeing
      expect(difference(layer.W, Array.from(initial.layers[l].W))).toBeGreaterThan(1e-4);
    });
    console.log(`[torch replay] ${runs[i].name}: weights, max difference relative to each tensor's largest ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-12);
    const lrs = result.history.map((m) => m.lr!);
    lrs.forEach((lr, e) => expect(Math.abs(lr - torch[i].lrs[e])).toBeLessThanOrEqual(1e-15 * torch[i].lrs[e]));
  });

  it("the schedules' learning rates are not all constant (the test sees them move)", () => {
    const moved = runs.filter((run) => new Set(run.result.history.map((m) => m.lr)).size > 1).map((run) => run.name);
    expect(moved.length).toBe(runs.filter((run) => cases[run.name].schedule).length);
  });
});
