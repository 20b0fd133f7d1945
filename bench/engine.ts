// Throughput of the engine against TensorFlow.js (cpu and wasm backends) and,
// where it is installed, PyTorch (float64, one thread), on identical workloads.
// `npm run bench` (add `-- --quick` for a short run). Results go to
// bench/results/engine-latest.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import {
  Rng, computeGradients, createNetwork, datasetFromSpec, gradcheck, train, zeros,
  type ActivationName, type Dataset, type LossName, type NetworkSpec, type TrainSpec,
} from "../server/src/engine/index";

const quick = process.argv.includes("--quick");
const runs = quick ? 3 : 5;
const minSeconds = quick ? 0.25 : 0.6;

interface Workload {
  name: string;
  widths: number[];
  activations: ActivationName[];
  loss: LossName;
  lr: number;
  batch: number;
  data: Dataset;
  unit: "examples/s" | "epochs/s";
}

function synthetic(n: number, features: number, classes: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = zeros(features, n);
  const y = zeros(classes, n);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next();
  for (let c = 0; c < n; c++) y.data[rng.int(classes) * n + c] = 1;
  return { x, y };
}

const workloads: Workload[] = [
  {
    name: "w1 784-128-64-10 relu/softmax ce sgd batch 64", widths: [784, 128, 64, 10], activations: ["relu", "relu", "softmax"],
    loss: "cross_entropy", lr: 0.01, batch: 64, data: synthetic(quick ? 2048 : 8192, 784, 10, 1), unit: "examples/s",
  },
  {
    name: "w2 784-30-10 sigmoid mse sgd 3.0 batch 10", widths: [784, 30, 10], activations: ["sigmoid", "sigmoid"],
    loss: "mse", lr: 3, batch: 10, data: synthetic(quick ? 2000 : 5000, 784, 10, 2), unit: "examples/s",
  },
  {
    name: "w3 2-16-16-1 tanh/sigmoid mse batch 10, 1000 spiral points", widths: [2, 16, 16, 1], activations: ["tanh", "tanh", "sigmoid"],
    loss: "mse", lr: 0.1, batch: 10, data: datasetFromSpec({ kind: "generator", name: "spiral", samples: 1000, noise: 0.1, classes: 2 }, 3),
    unit: "epochs/s",
  },
];

function specOf(w: Workload): NetworkSpec {
  const layers: NetworkSpec["layers"] = [];
  let from = "x";
  w.widths.slice(1).forEach((units, l) => {
    const name = `l${l + 1}`;
    layers.push({ kind: "dense", name, units, from, activation: { name: w.activations[l] }, init: { name: "xavier" } });
    from = name;
  });
  return { name: w.name, input: { name: "x", units: w.widths[0] }, layers, loss: w.loss };
}

/** Multiply-adds ×2 of one training example: forward, ∂C/∂W and (W)ᵀδ except into the input. */
function flopsPerExample(w: Workload): number {
  let forward = 0;
  for (let l = 1; l < w.widths.length; l++) forward += w.widths[l - 1] * w.widths[l];
  return 2 * (3 * forward - w.widths[0] * w.widths[1]);
}

/** Seconds of wall-clock and of this process's CPU time. */
interface Took {
  wall: number;
  cpu: number;
}

/** A system trains `epochs` epochs of a workload and returns the time taken. */
type Runner = (epochs: number) => Took;

// The team shares this machine's cores, so CPU time (which excludes time spent
// waiting for a core) is reported beside wall-clock time and drives the ratios.
function timed(work: () => void): Took {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  work();
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

function engineRunner(w: Workload): Runner {
  const network = createNetwork(specOf(w), { seed: 1 });
  return (epochs) => {
    const ts: TrainSpec = { optimizer: { name: "sgd", lr: w.lr, momentum: 0 }, epochs, batch: w.batch, validation: 0, seed: 1, shuffle: true, l2: 0 };
    return timed(() => train(network, w.data, ts));
  };
}

// TensorFlow.js, batch-major as it prefers; batches are cut once, before timing.
function tfRunner(w: Workload): Runner {
  const n = w.data.x.cols;
  const rows = (m: { rows: number; cols: number; data: Float64Array }) => tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols]).transpose();
  const x = rows(w.data.x);
  const y = rows(w.data.y);
  const batches: [tf.Tensor2D, tf.Tensor2D][] = [];
  for (let s = 0; s < n; s += w.batch) {
    const size = Math.min(w.batch, n - s);
    batches.push([x.slice([s, 0], [size, -1]) as tf.Tensor2D, y.slice([s, 0], [size, -1]) as tf.Tensor2D]);
  }
  const vars = w.widths.slice(1).map((units, l) => {
    const fanIn = w.widths[l];
    const limit = Math.sqrt(6 / (fanIn + units));
    return [tf.variable(tf.randomUniform([fanIn, units], -limit, limit)), tf.variable(tf.zeros([units]))] as const;
  });
  const optimizer = tf.train.sgd(w.lr);
  const act = (name: ActivationName, z: tf.Tensor2D): tf.Tensor2D =>
    name === "relu" ? tf.relu(z) : name === "sigmoid" ? tf.sigmoid(z) : name === "tanh" ? tf.tanh(z) : z;
  const lossOf = (bx: tf.Tensor2D, by: tf.Tensor2D): tf.Scalar => {
    let a = bx;
    vars.forEach(([W, b], l) => {
      const z = tf.add(tf.matMul(a, W), b) as tf.Tensor2D;
      a = l === vars.length - 1 && w.loss === "cross_entropy" ? z : act(w.activations[l], z);
    });
    if (w.loss === "cross_entropy") return tf.losses.softmaxCrossEntropy(by, a) as tf.Scalar;
    return tf.mul(0.5 / bx.shape[0], tf.sum(tf.squaredDifference(a, by)));
  };
  return (epochs) => timed(() => {
    for (let e = 0; e < epochs; e++) for (const [bx, by] of batches) optimizer.minimize(() => lossOf(bx, by));
    vars[0][0].dataSync();
  });
}

interface Measured {
  /** throughput by CPU time: the median over runs */
  median: number;
  runs: number[];
  /** throughput by wall-clock time */
  wallMedian: number;
  wallRuns: number[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Warm-up sizes each run to at least minSeconds; then the systems take turns, run by run.
async function measure(w: Workload, systems: Record<string, () => Promise<Runner>>): Promise<Record<string, Measured>> {
  const perRun = (epochs: number): number => (w.unit === "epochs/s" ? epochs : epochs * w.data.x.cols);
  const prepared: Record<string, { run: Runner; epochs: number; cpu: number[]; wall: number[] }> = {};
  for (const [name, make] of Object.entries(systems)) {
    await selectBackend(name);
    const run = await make();
    run(1);
    const once = run(1).wall;
    prepared[name] = { run, epochs: Math.max(1, Math.ceil(minSeconds / Math.max(once, 1e-6))), cpu: [], wall: [] };
  }
  for (let r = 0; r < runs; r++) {
    for (const [name, p] of Object.entries(prepared)) {
      await selectBackend(name);
      const took = p.run(p.epochs);
      p.cpu.push(perRun(p.epochs) / took.cpu);
      p.wall.push(perRun(p.epochs) / took.wall);
    }
  }
  return Object.fromEntries(Object.entries(prepared).map(([name, p]) => [
    name, { median: median(p.cpu), runs: p.cpu, wallMedian: median(p.wall), wallRuns: p.wall },
  ]));
}

async function selectBackend(system: string): Promise<void> {
  if (system === "tfjs-cpu" && tf.getBackend() !== "cpu") await tf.setBackend("cpu");
  if (system === "tfjs-wasm" && tf.getBackend() !== "wasm") await tf.setBackend("wasm");
}

function torchAvailable(): boolean {
  return spawnSync("/usr/bin/python3", ["-c", "import torch"], { stdio: "ignore" }).status === 0;
}

function runTorch(w: Workload): Measured | string {
  const dir = mkdtempSync(join(tmpdir(), "nnet-bench-"));
  try {
    writeFileSync(join(dir, "x.bin"), Buffer.from(w.data.x.data.buffer));
    writeFileSync(join(dir, "y.bin"), Buffer.from(w.data.y.data.buffer));
    const n = w.data.x.cols;
    const job = {
      runs, warmup: 1,
      workloads: [{ name: w.name, widths: w.widths, activations: w.activations, loss: w.loss, lr: w.lr, batch: w.batch, examples: n, x: join(dir, "x.bin"), y: join(dir, "y.bin") }],
    };
    const script = join(process.cwd(), "bench/peers/torch_peer.py");
    const out = spawnSync("/usr/bin/python3", [script], { input: JSON.stringify(job), encoding: "utf8", maxBuffer: 1 << 24 });
    if (out.status !== 0) return `torch peer failed: ${out.stderr.trim().split("\n").pop()}`;
    const result = JSON.parse(out.stdout).results[w.name] as { cpu: number[]; wall: number[] };
    const scale = w.unit === "epochs/s" ? 1 / n : 1;
    const cpu = result.cpu.map((r) => r * scale);
    const wall = result.wall.map((r) => r * scale);
    return { median: median(cpu), runs: cpu, wallMedian: median(wall), wallRuns: wall };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Workload 4: one gradient check against one forward + backward pass on the same batch.
function gradcheckCost(w: Workload): { params: number; checked: number; backwardMs: number; gradcheckMs: number; ratio: number } {
  const network = createNetwork(specOf(w), { seed: 1 });
  const m = 4;
  const x = zeros(w.widths[0], m);
  const y = zeros(w.widths[w.widths.length - 1], m);
  for (let r = 0; r < x.rows; r++) for (let c = 0; c < m; c++) x.data[r * m + c] = w.data.x.data[r * w.data.x.cols + c];
  for (let r = 0; r < y.rows; r++) for (let c = 0; c < m; c++) y.data[r * m + c] = w.data.y.data[r * w.data.y.cols + c];
  const reps = 2000;
  for (let i = 0; i < 200; i++) computeGradients(network, x, y);
  const passes: number[] = [];
  for (let r = 0; r < runs; r++) {
    passes.push((timed(() => { for (let i = 0; i < reps; i++) computeGradients(network, x, y); }).cpu * 1000) / reps);
  }
  const backwardMs = median(passes);
  let result = gradcheck(network, x, y);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) times.push(timed(() => { result = gradcheck(network, x, y); }).cpu * 1000);
  const gradcheckMs = median(times);
  const checked = result.report.rows.reduce((s, r) => s + r.checked, 0);
  const params = result.report.rows.reduce((s, r) => s + r.total, 0);
  return { params, checked, backwardMs, gradcheckMs, ratio: gradcheckMs / backwardMs };
}

async function main(): Promise<void> {
  setWasmPaths(`${dirname(require.resolve("@tensorflow/tfjs-backend-wasm"))}/`);
  const hasTorch = torchAvailable();
  const report: Record<string, unknown> = {
    date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadAverage: loadavg(), quick, runs,
    kernel: createNetwork(specOf(workloads[0]), { seed: 1 }).kernel.name, ratiosBy: "cpu time", workloads: [] as unknown[],
  };
  for (const w of workloads) {
    const measured = await measure(w, {
      engine: async () => engineRunner(w),
      "tfjs-cpu": async () => tfRunner(w),
      "tfjs-wasm": async () => tfRunner(w),
    });
    const torch = hasTorch ? runTorch(w) : "PyTorch is not installed (/usr/bin/python3 -c 'import torch' failed); skipped";
    const engine = measured.engine.median;
    const peers: Record<string, Measured> = { "tfjs-cpu": measured["tfjs-cpu"], "tfjs-wasm": measured["tfjs-wasm"] };
    if (typeof torch !== "string") peers.torch = torch;
    const ratios = Object.fromEntries(Object.entries(peers).map(([name, p]) => [name, engine / p.median]));
    const examplesPerSecond = w.unit === "epochs/s" ? engine * w.data.x.cols : engine;
    const gflops = (examplesPerSecond * flopsPerExample(w)) / 1e9;
    console.log(`\n${w.name} (${w.unit} by CPU time [by wall clock], median of ${runs})`);
    console.log(`  engine     ${engine.toFixed(1).padStart(9)} [${measured.engine.wallMedian.toFixed(1)}]   ${gflops.toFixed(2)} GFLOP/s (${w.data.x.cols} examples)`);
    for (const [name, p] of Object.entries(peers)) {
      console.log(`  ${name.padEnd(10)} ${p.median.toFixed(1).padStart(9)} [${p.wallMedian.toFixed(1)}]   engine is ${ratios[name].toFixed(2)}× [${(measured.engine.wallMedian / p.wallMedian).toFixed(2)}×]`);
    }
    if (typeof torch === "string") console.log(`  torch      ${torch}`);
    (report.workloads as unknown[]).push({ name: w.name, unit: w.unit, engine: measured.engine, peers, ratios, gflops, ...(typeof torch === "string" ? { torchNote: torch } : {}) });
  }
  const costs = [workloads[2], workloads[1]].map((w) => ({ workload: w.name, ...gradcheckCost(w) }));
  console.log("\nw4 gradient check (4 examples) against one forward + backward pass (CPU time)");
  for (const c of costs) {
    console.log(`  ${c.workload}: ${c.checked}/${c.params} parameters checked, ${c.gradcheckMs.toFixed(1)} ms vs ${(c.backwardMs * 1000).toFixed(1)} µs → ${c.ratio.toFixed(0)}×`);
  }
  report.gradcheck = costs;
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/engine-latest.json", `${JSON.stringify(report, null, 2)}\n`);
  console.log("\nsaved bench/results/engine-latest.json");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
