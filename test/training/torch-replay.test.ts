/**
 * Every optimizer and schedule against PyTorch: each run is compiled from
 * .nnet text and trained by the job code the worker runs, then replayed by
 * torch.optim and torch.optim.lr_scheduler (float64) from the same initial
 * weights on the same batches (torch_replay.py). The final weights agree to
 * rounding, and so does each epoch's learning rate. Random DAG networks (the
 * generator the gradient oracle uses) are trained by the engine's train() and
 * replayed the same way; and the cosine schedule's rates of resumed and
 * extended runs are set beside torch's. One Python process for the file.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createNetwork, exportWeights, learningRateAt, Rng, train, transpose, type Matrix, type NetworkSpec, type SavedWeights, type ScheduleSpec, type TrainSpec,
} from "../../server/src/engine/index";
import { prepareJob, runJob, type JobRequest, type JobResult, type WorkerMessage } from "../../server/src/training/index";
import { hiddenActivations, newActivations, Random, randomNetwork, randomTargets, type OutputPair } from "../ide/random-networks";
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
    Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  const activations = new Map(job.network.layers.map((l) => [l.name, l.kind === "dense" ? l.activation.name : "identity"]));
  return {
    layers: initial.layers.map((l) => ({ units: l.units, fanIn: l.fanIn, W: Array.from(l.W), b: Array.from(l.b), activation: activations.get(l.name) })),
    x: rows(train.x), y: rows(train.y), batch: job.train.batch, train: job.train,
  };
}

/** max |engine − torch| / max |torch| over one tensor (absolute for a tensor of zeros, such as an unreached layer's biases) */
function difference(engine: Float64Array, torch: number[]): number {
  let worst = 0, scale = 0;
  torch.forEach((t, i) => { worst = Math.max(worst, Math.abs(engine[i] - t)); scale = Math.max(scale, Math.abs(t)); });
  return scale === 0 ? worst : worst / scale;
}

// Each optimizer with a schedule that warms up, on random DAGs (add, concat, several successors) and several losses.
const dagOptimizers: { name: string; optimizer: TrainSpec["optimizer"]; schedule: ScheduleSpec; l2: number }[] = [
  { name: "sgd + step warmup", optimizer: { name: "sgd", lr: 0.05, momentum: 0 }, schedule: { name: "step", every: 2, gamma: 0.5, warmup: 1 }, l2: 1e-3 },
  { name: "sgd nesterov + cosine warmup", optimizer: { name: "sgd", lr: 0.05, momentum: 0.9, nesterov: true }, schedule: { name: "cosine", minLr: 1e-3, warmup: 2 }, l2: 0 },
  { name: "rmsprop momentum + exponential warmup", optimizer: { name: "rmsprop", lr: 0.01, rho: 0.9, eps: 1e-6, momentum: 0.5 }, schedule: { name: "exponential", gamma: 0.8, warmup: 1 }, l2: 1e-3 },
  { name: "adam + cosine warmup", optimizer: { name: "adam", lr: 0.01, beta1: 0.85, beta2: 0.99, eps: 1e-8 }, schedule: { name: "cosine", minLr: 1e-4, warmup: 2 }, l2: 1e-2 },
  { name: "adamw + step warmup", optimizer: { name: "adamw", lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 }, schedule: { name: "step", every: 3, gamma: 0.3, warmup: 2 }, l2: 1e-3 },
];
const dagPairs: OutputPair[] = [
  { activation: { name: "identity" }, loss: "mse", partialRange: false },
  { activation: { name: "softmax" }, loss: "cross_entropy", partialRange: false },
  { activation: { name: "sigmoid" }, loss: "binary_cross_entropy", partialRange: false },
  { activation: { name: "tanh" }, loss: "huber", partialRange: false },
];
const dagEpochs = 7;
const dagBatch = 4;
const dagExamples = 10;

/** Examples as rows, as torch takes them. */
const rowsOf = (m: Matrix): number[][] => Array.from({ length: m.cols }, (_, c) => Array.from({ length: m.rows }, (_, r) => m.data[r * m.cols + c]));

interface DagRun { name: string; spec: NetworkSpec; initial: SavedWeights; final: SavedWeights; lrs: number[]; input: Record<string, unknown> }

function dagRuns(): DagRun[] {
  const random = new Random(2024);
  const runs: DagRun[] = [];
  for (const o of dagOptimizers) {
    dagPairs.forEach((pair, p) => {
      const spec = randomNetwork(random, pair, random.int(3, 6), { activations: [...hiddenActivations, ...newActivations] });
      const network = createNetwork(spec, { seed: random.int(1, 1000) });
      const initial = exportWeights(network);
      const units = spec.layers[spec.layers.length - 1].units;
      const x: Matrix = { rows: spec.input.units, cols: dagExamples, data: Float64Array.from({ length: spec.input.units * dagExamples }, () => random.normal()) };
      const y: Matrix = { rows: units, cols: dagExamples, data: randomTargets(random, spec.loss, units, dagExamples) };
      const trainSpec: TrainSpec = { optimizer: o.optimizer, schedule: o.schedule, epochs: dagEpochs, batch: dagBatch, validation: 0, seed: p + 1, shuffle: true, l2: o.l2 };
      // the engine's batches: one stream per run shuffles one order in place every epoch (engine/batches.ts)
      const shuffler = Rng.derive(trainSpec.seed, "shuffle");
      const order = Array.from({ length: dagExamples }, (_, i) => i);
      const orders = Array.from({ length: dagEpochs }, () => { shuffler.shuffle(order); return [...order]; });
      expect(orders.some((o) => o.some((v, i) => v !== i)), "the batches are shuffled").toBe(true);
      const result = train(network, { x: transpose(x), y: transpose(y) }, trainSpec);
      const params = initial.layers.map((l) => ({ layer: l.name, b: Array.from(l.b), W: Array.from({ length: l.units }, (_, r) => Array.from(l.W.subarray(r * l.fanIn, (r + 1) * l.fanIn))) }));
      runs.push({
        name: `${o.name}, ${pair.loss} (DAG ${p + 1})`, spec, initial, final: exportWeights(network), lrs: result.history.map((m) => m.lr!),
        input: { kind: "dag", spec, params, x: rowsOf(x), y: rowsOf(y), orders, batch: dagBatch, train: trainSpec },
      });
    });
  }
  return runs;
}

// cosine over a run planned for 10 epochs (warmup 2): its rates, then past its end, against CosineAnnealingLR
const cosine: ScheduleSpec = { name: "cosine", minLr: 1e-3, warmup: 2 };
const cosineRuns = [
  { kind: "schedule", schedule: cosine, lr: 0.1, epochs: 10, count: 16 },
  { kind: "schedule", schedule: cosine, lr: 0.1, epochs: 16, count: 16 },
];

describe.skipIf(!hasTorch)("optimizers and schedules replayed by torch.optim", () => {
  const runs = Object.entries(cases).map(([name, c]) => {
    const job = request({ kind: "train", text: source(c.optimizer, c.schedule, c.l2 ?? 0) });
    const initial = exportWeights(createNetwork(job.network, { seed: job.train.seed }));
    return { name, job, initial, result: engineRun(job) };
  });
  const dags = dagRuns();
  const input = [...runs.map((r) => replayInput(r.job, r.initial)), ...dags.map((d) => d.input), ...cosineRuns];
  const replayed = spawnSync(python, [join(__dirname, "torch_replay.py")], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: "1" } });
  if (replayed.status !== 0) throw new Error(replayed.stderr);
  const answers = JSON.parse(replayed.stdout) as unknown[];
  const torch = answers.slice(0, runs.length) as { layers: { W: number[]; b: number[] }[]; lrs: number[] }[];
  const torchDags = answers.slice(runs.length, runs.length + dags.length) as { layers: Record<string, { W: number[]; b: number[] }>; lrs: number[] }[];
  const [planned, extended] = answers.slice(runs.length + dags.length) as number[][];

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

  it(`random DAGs: each optimizer with a warmed-up schedule, ${dagEpochs} epochs of shuffled batches of ${dagBatch}, gives torch.optim's weights and rates`, () => {
    expect(dags.length).toBe(dagOptimizers.length * dagPairs.length);
    const joins = dags.filter((d) => d.spec.layers.some((l) => l.kind === "add" || l.kind === "concat")).length;
    expect(joins).toBeGreaterThan(dags.length / 3);
    const lines: string[] = [];
    dags.forEach((run, i) => {
      let worst = 0;
      let moved = 0;
      run.final.layers.forEach((layer, l) => {
        const want = torchDags[i].layers[layer.name];
        worst = Math.max(worst, difference(layer.W, want.W), difference(layer.b, want.b));
        moved = Math.max(moved, difference(layer.W, Array.from(run.initial.layers[l].W)));
      });
      expect(moved, `${run.name}: the weights moved`).toBeGreaterThan(1e-4);
      expect(worst, `${run.name} in ${JSON.stringify(run.spec.layers)}`).toBeLessThan(1e-12);
      run.lrs.forEach((lr, e) => expect(Math.abs(lr - torchDags[i].lrs[e]), `${run.name} epoch ${e + 1}`).toBeLessThanOrEqual(1e-15 * torchDags[i].lrs[e]));
      lines.push(`  ${run.name}: ${worst.toExponential(2)}`);
    });
    console.log(`[torch replay] random DAGs, weights after ${dagEpochs} epochs, max difference relative to each tensor's largest (${joins} with add/concat):\n${lines.join("\n")}`);
  });

  it("cosine: a run resumed to its planned end keeps torch's curve; extended, it is torch's for the new end; past its end it holds min_lr", () => {
    const rate = (epoch: number, last: number): number => learningRateAt(cosine, 0.1, epoch, last);
    // within the run, and stopped at 4 and resumed to the planned 10: CosineAnnealingLR(T_max = 10 − 2)
    for (let e = 1; e <= 10; e++) expect(Math.abs(rate(e, 10) - planned[e - 1])).toBeLessThanOrEqual(1e-15 * planned[e - 1]);
    const resumed = train(createNetwork(smallNet), smallData, { ...cosineTrain, epochs: 6 }, { startEpoch: 4 }).history.map((m) => m.lr!);
    resumed.forEach((lr, i) => expect(lr).toBe(rate(5 + i, 10)));
    // extended by 6 epochs (--resume --epochs 6 after 10): the rest of the cosine is stretched to end at 16,
    // CosineAnnealingLR(T_max = 16 − 2) as a run planned for 16 epochs
    const more = train(createNetwork(smallNet), smallData, { ...cosineTrain, epochs: 6 }, { startEpoch: 10 }).history.map((m) => m.lr!);
    more.forEach((lr, i) => expect(Math.abs(lr - extended[10 + i])).toBeLessThanOrEqual(1e-15 * extended[10 + i]));
    // torch's scheduler stepped on past T_max rises again (its period is 2·T_max); the engine holds min_lr there
    for (let e = 11; e <= 16; e++) {
      expect(rate(e, 10)).toBe(cosine.minLr);
      // epoch 11 is T_max's own (k = 8), min_lr in both
      if (e === 11) expect(Math.abs(planned[e - 1] - cosine.minLr)).toBeLessThanOrEqual(1e-15);
      else expect(planned[e - 1]).toBeGreaterThan(cosine.minLr * 1.5);
    }
    console.log(`[torch replay] cosine past T_max = 8: torch ${planned.slice(10).map((r) => r.toPrecision(3)).join(", ")}; the engine holds ${cosine.minLr}`);
  });
});

const smallNet: NetworkSpec = { name: "small", input: { name: "x", units: 1 }, layers: [{ kind: "dense", name: "out", units: 1, from: "x", activation: { name: "identity" }, init: { name: "xavier" } }], loss: "mse" };
const smallData = { x: { rows: 4, cols: 1, data: Float64Array.of(0, 1, 2, 3) }, y: { rows: 4, cols: 1, data: Float64Array.of(1, 0, 1, 0) } };
const cosineTrain: TrainSpec = { optimizer: { name: "sgd", lr: 0.1, momentum: 0 }, schedule: cosine, epochs: 10, batch: 2, validation: 0, seed: 1, shuffle: false, l2: 0 };
