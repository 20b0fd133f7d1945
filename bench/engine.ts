// Throughput of the engine against TensorFlow.js (cpu and wasm backends) and,
// where /usr/bin/python3 has torch, PyTorch (float64 and float32, on 1 thread
// and on all cores), on identical workloads. Run `sh bench/setup.sh` once as
// root first: it gives PyTorch OpenBLAS instead of the reference BLAS.
// `npm run bench [-- --quick] [-- --rounds N]`. Results go to
// bench/results/engine-latest.json.
//
// Each workload group is one function returning its part of the report; add
// a group by writing another and calling it from main().
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import {
  Rng, computeGradients, createNetwork, datasetFromSpec, gradcheck, sharedZeros, train, transpose, zeros,
  type ActivationName, type Dataset, type LossName, type NetworkSpec, type TrainSpec,
} from "../server/src/engine/index";
import { defaultThreads, enableRelaxedSimd, runKernel, type RunKernel } from "../server/src/training/index";
import { TfjsPeer, tfjsAvailable } from "./peers/tfjs";
import { python, TorchPeer, torchAvailable } from "./peers/torch";
import { coreLayout } from "./topology";
import { median, spread, timed, type Runner, type Spread } from "./timing";

enableRelaxedSimd(); // as the training worker does, before any WebAssembly is compiled

const quick = process.argv.includes("--quick");
const roundsArg = process.argv.indexOf("--rounds");
const rounds = Math.max(1, Math.floor(Number(process.argv[roundsArg + 1])) || (quick ? 5 : 7));
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
  // in shared memory, where the CSV loader puts a data set: the training threads gather batches from it
  const x = sharedZeros(n, features);
  const y = zeros(n, classes);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next();
  for (let c = 0; c < n; c++) y.data[c * classes + rng.int(classes)] = 1;
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

// the kernels of every engine runner, closed when the bench ends
const kernels: RunKernel[] = [];

/** The engine with the kernel a training run gets (NNET_KERNEL picks another) on `threads` threads. */
function engineRunner(w: Workload, threads: number): Runner {
  const multiply = runKernel(threads);
  kernels.push(multiply);
  const network = createNetwork(specOf(w), { seed: 1, kernel: multiply.kernel });
  return async (epochs) => {
    const ts: TrainSpec = { optimizer: { name: "sgd", lr: w.lr, momentum: 0 }, epochs, batch: w.batch, validation: 0, seed: 1, shuffle: true, l2: 0 };
    return timed(() => train(network, w.data, ts));
  };
}

/** Throughput per round, by wall clock and by the system's CPU time. */
interface Rates {
  wall: number[];
  cpu: number[];
}

// OpenBLAS's and OpenMP's threads spin for a while after a multi-threaded
// peer's run before they sleep; a pause before each run keeps that spinning
// off the next system's clock, and a collection (with --expose-gc) keeps one
// engine run's garbage off the next one's.
const settle = async (): Promise<void> => {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 300));
};

// Warm-up sizes each system's round to at least minSeconds. Then the systems
// take turns round by round, each round starting one system later, so that a
// burst of load from the machine's other users falls on all of them alike.
async function measure(w: Workload, systems: Map<string, () => Promise<Runner>>): Promise<Map<string, Rates>> {
  const perRun = (epochs: number): number => (w.unit === "epochs/s" ? epochs : epochs * w.data.x.rows);
  const prepared: { name: string; run: Runner; epochs: number; rates: Rates }[] = [];
  for (const [name, make] of systems) {
    const run = await make();
    await run(1);
    const once = (await run(1)).wall;
    prepared.push({ name, run, epochs: Math.max(1, Math.ceil(minSeconds / Math.max(once, 1e-6))), rates: { wall: [], cpu: [] } });
  }
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < prepared.length; i++) {
      const p = prepared[(i + r) % prepared.length];
      await settle();
      const took = await p.run(p.epochs);
      p.rates.wall.push(perRun(p.epochs) / took.wall);
      p.rates.cpu.push(perRun(p.epochs) / took.cpu);
    }
  }
  return new Map(prepared.map((p) => [p.name, p.rates]));
}

const fmt = (v: number): string => (v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toPrecision(3));
const fmtSpread = (s: Spread): string => `${fmt(s.median)} [${fmt(s.min)}–${fmt(s.max)}]`;
const fmtRatio = (s: Spread): string => `${s.median.toFixed(2)}× [${s.min.toFixed(2)}–${s.max.toFixed(2)}]`;

/**
 * Starts the PyTorch peers, or says why there are none: 1 thread, and all
 * cores two ways, torch and its BLAS both on every core, and torch on one
 * thread with only its BLAS on every core. Here the first oversubscribes
 * (torch's threads and OpenBLAS's spin against each other) and runs slower
 * than one thread; the second is PyTorch's fastest use of the cores, so the
 * engine on all cores is set against the faster of the two.
 */
async function startTorch(): Promise<TorchPeer[] | string> {
  if (!torchAvailable()) return `PyTorch is not installed (${python} -c 'import torch' failed); skipped`;
  const configs: [number, number][] = cores > 1 ? [[1, 1], [cores, cores], [1, cores]] : [[1, 1]];
  return Promise.all(configs.map(([threads, blas]) => TorchPeer.start(threads, blas)));
}

function describeTorch(peers: TorchPeer[]): void {
  const info = peers[0].info;
  console.log(`PyTorch ${info.torch}, built with BLAS ${info.built}${info.mkl ? " (MKL)" : ""}, BLAS mapped: ${info.blas.join(", ") || "none found"}`);
  for (const p of peers) {
    const ob = p.info.openblas;
    const blas = ob ? `OpenBLAS core ${ob.corename}, ${ob.threads} thread(s) (${ob.config})` : info.built === "mkl" ? "MKL" : "not OpenBLAS";
    console.log(`  ${p.label("f64")}: torch ${p.threads} thread(s), ${blas}`);
  }
  // Debian's torch (BLAS_INFO generic) runs whatever libblas.so.3 is: without OpenBLAS, the reference BLAS
  if (!info.openblas && info.built !== "mkl") console.log("  WARNING: torch is not on OpenBLAS (reference BLAS?); run `sh bench/setup.sh` as root for a fair peer");
}

/** The engine ÷ peer ratio of medians, with the min–max of the per-round (paired) ratios. */
function ratioOf(engine: number[], peer: number[]): Spread {
  const paired = engine.map((e, i) => e / peer[i]);
  return { median: median(engine) / median(peer), min: Math.min(...paired), max: Math.max(...paired) };
}

/** The engine, both TensorFlow.js backends and, where there is one, each PyTorch config, for one workload. */
function systemsFor(w: Workload, k: number, tfjs: TfjsPeer | undefined, torch: TorchPeer[] | string, dir: string): Map<string, () => Promise<Runner>> {
  const systems = new Map<string, () => Promise<Runner>>(engineThreads.map((t) => [`engine f64 ${t}T`, async () => engineRunner(w, t)]));
  // the peers read the data from files, one example per row
  const x = join(dir, `x${k}.bin`);
  const y = join(dir, `y${k}.bin`);
  writeFileSync(x, w.data.x.data);
  writeFileSync(y, w.data.y.data);
  const job = { widths: w.widths, activations: w.activations, loss: w.loss, lr: w.lr, batch: w.batch, examples: w.data.x.rows, x, y };
  if (tfjs) for (const backend of ["cpu", "wasm"] as const) systems.set(`tfjs-${backend} f32`, () => tfjs.load(backend, job));
  if (typeof torch === "string") return systems;
  for (const peer of torch) {
    let load: ReturnType<TorchPeer["load"]> | undefined; // loaded on first use, once for both dtypes
    for (const dtype of ["float64", "float32"] as const) {
      const make = async () => (await (load ??= peer.load(job)))(dtype);
      systems.set(peer.label(dtype === "float64" ? "f64" : "f32"), make);
    }
  }
  return systems;
}

// The engine on one thread and on all cores (as the peers), and the ratios each target is stated in.
// the cores this process may run on (taskset, cgroups), not all the machine has
const cores = availableParallelism();
const engineThreads = [...new Set([1, Math.min(cores, defaultThreads())])];
const engineName = (threads: number): string => `engine f64 ${threads}T`;

/** Which engine configuration a peer is set against: the same thread count, where the engine has it. */
function counterpart(peer: string): number {
  const threads = Number(/(\d+)T$/.exec(peer)?.[1] ?? 1);
  return engineThreads.includes(threads) ? threads : 1;
}

/** PyTorch float64's fastest configuration on all cores (by median wall rate), and the engine set against it. */
function fastestTorch(rates: Map<string, Rates>): { peer: string; engine: string } | undefined {
  const threads = Math.max(...engineThreads);
  if (threads < 2) return undefined;
  const peers = [...rates.keys()].filter((name) => name.startsWith("torch f64") && counterpart(name) === threads);
  const peer = peers.sort((a, b) => median(rates.get(b)!.wall) - median(rates.get(a)!.wall))[0];
  return peer ? { peer, engine: engineName(threads) } : undefined;
}

// Group: training throughput of the engine and every peer, one interleaved run per workload.
// Wall clock is what a user waits and the only fair measure of a multi-threaded
// system; CPU time leaves out time spent waiting for a core, so on a shared
// machine it is the steadier measure of single-threaded work. Both are kept.
async function trainingGroup(torch: TorchPeer[] | string): Promise<unknown[]> {
  const dir = mkdtempSync(join(tmpdir(), "nnet-bench-"));
  const table = [
    "| workload | system | wall [min–max] | engine 1T ÷ it, wall | engine ÷ it at its thread count, wall | engine 1T ÷ it, CPU time |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  const targets: string[] = [];
  const report: unknown[] = [];
  const tfjs = tfjsAvailable() ? new TfjsPeer() : undefined;
  if (!tfjs) console.log("TensorFlow.js is not installed (npm ci installs it); skipped");
  try {
    for (const [k, w] of workloads.entries()) {
      const rates = await measure(w, systemsFor(w, k, tfjs, torch, dir));
      const single = rates.get(engineName(1))!;
      const examplesPerSecond = (w.unit === "epochs/s" ? w.data.x.rows : 1) * median(single.cpu);
      const systems: Record<string, unknown> = {};
      let first = true;
      for (const [name, r] of rates) {
        const against = engineName(counterpart(name));
        const same = rates.get(against)!;
        const ratio = { wall: ratioOf(single.wall, r.wall), cpu: ratioOf(single.cpu, r.cpu), sameThreads: ratioOf(same.wall, r.wall), against };
        systems[name] = { ...r, ratio };
        const cells = name.startsWith("engine") && name !== engineName(1)
          ? [fmtRatio(ratio.wall), "", ""]
          : name === engineName(1) ? ["", "", ""] : [fmtRatio(ratio.wall), `${fmtRatio(ratio.sameThreads)} (${against.slice(11)})`, fmtRatio(ratio.cpu)];
        table.push(`| ${first ? w.name : ""} | ${name} | ${fmtSpread(spread(r.wall))} ${w.unit} | ${cells.join(" | ")} |`);
        if (name.startsWith("torch f64")) targets.push(`  ${w.name}: ${against} ÷ ${name} = ${fmtRatio(ratio.sameThreads)} (wall)`);
        first = false;
      }
      const fastest = fastestTorch(rates);
      if (fastest) targets.push(`  ${w.name}: ${fastest.engine} ÷ PyTorch's fastest use of the cores (${fastest.peer}) = ${fmtRatio(ratioOf(rates.get(fastest.engine)!.wall, rates.get(fastest.peer)!.wall))} (wall)`);
      report.push({
        name: w.name, unit: w.unit, examples: w.data.x.rows, engineThreads, fastestTorch: fastest, gflopsByCpuTime: (examplesPerSecond * flopsPerExample(w)) / 1e9, systems,
      });
      console.log(`  measured ${w.name}`);
    }
  } finally {
    tfjs?.close();
    rmSync(dir, { recursive: true, force: true });
    for (const kernel of kernels.splice(0)) kernel.close();
  }
  console.log(`\nTraining throughput: median [min–max] of ${rounds} interleaved rounds. engine ÷ system is the ratio`);
  console.log("of medians [min–max of the per-round ratios]; above 1 the engine is faster. CPU time counts all of a");
  console.log("process's threads, so for a multi-threaded system it measures work per core, not speed.\n");
  console.log(table.join("\n"));
  if (targets.length > 0) console.log(`\nAgainst PyTorch float64 at the same thread count:\n${targets.join("\n")}`);
  if (typeof torch === "string") console.log(`\ntorch: ${torch}`);
  return report;
}

// Group: one gradient check against one forward + backward pass on the same batch (engine only, CPU time).
function gradcheckGroup(): unknown[] {
  console.log("\nGradient check (4 examples) against one forward + backward pass (CPU time)");
  return [workloads[2], workloads[1]].map((w) => {
    const network = createNetwork(specOf(w), { seed: 1 });
    const m = 4;
    // the first m examples as a batch's columns
    const x = transpose({ ...w.data.x, rows: m, data: w.data.x.data.subarray(0, m * w.data.x.cols) });
    const y = transpose({ ...w.data.y, rows: m, data: w.data.y.data.subarray(0, m * w.data.y.cols) });
    const reps = 2000;
    for (let i = 0; i < 200; i++) computeGradients(network, x, y);
    const passes: number[] = [];
    for (let r = 0; r < rounds; r++) {
      passes.push((timed(() => { for (let i = 0; i < reps; i++) computeGradients(network, x, y); }).cpu * 1000) / reps);
    }
    const backwardMs = median(passes);
    let result = gradcheck(network, x, y);
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) times.push(timed(() => { result = gradcheck(network, x, y); }).cpu * 1000);
    const gradcheckMs = median(times);
    const checked = result.report.rows.reduce((s, row) => s + row.checked, 0);
    const params = result.report.rows.reduce((s, row) => s + row.total, 0);
    const ratio = gradcheckMs / backwardMs;
    console.log(`  ${w.name}: ${checked}/${params} parameters checked, ${gradcheckMs.toFixed(1)} ms vs ${(backwardMs * 1000).toFixed(1)} µs → ${ratio.toFixed(0)}×`);
    return { workload: w.name, params, checked, backwardMs, gradcheckMs, ratio };
  });
}

// Which generation of core: the ratios to PyTorch's AVX-512 kernels differ from one to the next (docs/performance.md)
function cpuKind(): string {
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const field = (name: string): string => new RegExp(`^${name}\\s*: (.*)$`, "m").exec(info)?.[1] ?? "?";
    return ` (family ${field("cpu family")}, model ${field("model")}, ${field("cpu MHz")} MHz${/\bavx512f\b/.test(info) ? ", AVX-512" : ""})`;
  } catch {
    return "";
  }
}

function kernelName(): string {
  const multiply = runKernel(1);
  multiply.close();
  return multiply.kernel.name;
}

async function main(): Promise<void> {
  const machine = `${cores === cpus().length ? "" : `${cores} of `}${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}${cpuKind()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const layout = coreLayout();
  const report: Record<string, unknown> = {
    date: new Date().toISOString(), machine, cores: layout, loadAverageStart: loadavg(), quick, rounds,
    kernel: kernelName(), engineThreads, ratiosBy: "wall clock and CPU time, interleaved rounds",
  };
  console.log(`${report.date}  ${machine}  engine kernel ${report.kernel}  load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  if (layout) console.log(`  ${layout}`);
  const torch = await startTorch();
  if (typeof torch !== "string") {
    describeTorch(torch);
    report.torch = torch.map((p) => p.info);
  }
  try {
    report.training = await trainingGroup(torch);
    report.gradcheck = gradcheckGroup();
  } finally {
    if (typeof torch !== "string") for (const p of torch) p.close();
  }
  report.loadAverageEnd = loadavg();
  console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/engine-latest.json", `${JSON.stringify(report, null, 2)}\n`);
  console.log("saved bench/results/engine-latest.json");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
