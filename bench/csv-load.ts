/**
 * Loading an MNIST-shaped CSV (60,000 rows, a label and 784 pixel columns,
 * about 100 MB) as training does, against numpy.loadtxt on the same file:
 * the time of each and the peak memory of the process that does it, with
 * ratios as medians over interleaved rounds (min–max); and `nnet evaluate`
 * and `nnet train` (a few epochs) on the same file, whose peak memory must
 * stay within 1.3× the arrays too.
 * Each measurement runs in a fresh process. The files are generated in a
 * temporary folder and deleted after.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvDatasetFrom } from "../server/src/training/csv-data";
import { fileSource } from "../server/src/training/csv-source";
import { runEvaluate } from "../server/src/cli/evaluate";
import { runTrain } from "../server/src/cli/train";
import { spread, type Spread } from "./timing";

const rows = Number(process.env.NNET_BENCH_CSV_ROWS ?? 60_000);
const pixels = 784;
const peakMb = (): number => process.resourceUsage().maxRSS / 1024;

// Pixels as in MNIST: about four in five are 0, the rest 1–255.
function writeMnistShaped(path: string, rows: number): void {
  const fd = openSync(path, "w");
  writeSync(fd, `label,${Array.from({ length: pixels }, (_, i) => `p${i}`).join(",")}\n`);
  let state = 12345;
  const next = (): number => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
  let chunk = "";
  for (let r = 0; r < rows; r++) {
    const cells = [String(r % 10)];
    for (let p = 0; p < pixels; p++) cells.push(next() < 0.8 ? "0" : String(1 + Math.floor(next() * 255)));
    chunk += cells.join(",") + "\n";
    if (chunk.length > 1 << 22) { writeSync(fd, chunk); chunk = ""; }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

const classes = 10;

// evaluate as the CLI runs it, in this process, so that its peak memory is measured alone
async function evaluateChild(model: string, path: string): Promise<void> {
  const before = process.memoryUsage().rss / 2 ** 20;
  const start = performance.now();
  let out = "";
  const code = await runEvaluate([model, "--data", path, "--json"], { out: (text) => (out += text), err: () => {} });
  const ms = performance.now() - start;
  if (code !== 0) throw new Error(`nnet evaluate failed (${code}): ${out}`);
  const evaluated = JSON.parse(out) as { rows: number };
  const arraysMb = (evaluated.rows * (pixels + classes) * 8) / 2 ** 20;
  process.stdout.write(JSON.stringify({ ms, peak: peakMb(), before, arraysMb, rows: evaluated.rows }));
}

// `nnet train` as the CLI runs it, worker thread included, in this process, so that its peak memory is measured alone
async function trainChild(dir: string): Promise<void> {
  process.chdir(dir);
  const before = process.memoryUsage().rss / 2 ** 20;
  const start = performance.now();
  let out = "";
  const code = await runTrain(["big.nnet", "--json"], { out: (text) => (out += text), err: (text) => (out += text) }, join(__dirname, "..", "worker.js"));
  const ms = performance.now() - start;
  if (code !== 0) throw new Error(`nnet train failed (${code}): ${out}`);
  const arraysMb = (rows * (pixels + classes) * 8) / 2 ** 20;
  process.stdout.write(JSON.stringify({ ms, peak: peakMb(), before, arraysMb, rows }));
}

// the whole file, a tenth held out for validation, standardised, a few epochs of a small network so that the data dominates
function writeTrainingJob(dir: string, epochs: number): void {
  writeFileSync(join(dir, "big.nnet"), `network big {
  input x: ${pixels}
  layer h: dense 32 relu
  layer out: dense ${classes} softmax
  loss cross_entropy
  data csv("mnist.csv", target: "label", classes: ${classes})
  train { epochs ${epochs}, batch 64, seed 1, validation 0.1 }
}
`);
}

// a 784-64-10 model trained briefly on a few rows of the same shape, for evaluate to read the file with
function trainModel(dir: string): string {
  writeMnistShaped(join(dir, "few.csv"), 500);
  writeFileSync(join(dir, "mnist.nnet"), `network mnist {
  input x: ${pixels}
  layer h: dense 64 relu
  layer out: dense ${classes} softmax
  loss cross_entropy
  data csv("few.csv", target: "label", classes: ${classes})
  train { epochs 1, batch 50, seed 1 }
}
`);
  const cli = join(__dirname, "..", "cli.js");
  const trained = spawnSync(process.execPath, [cli, "train", "mnist.nnet", "--save", "mnist.nnetmodel"], { cwd: dir, encoding: "utf8" });
  if (trained.status !== 0) throw new Error(`nnet train failed: ${trained.stderr}`);
  return join(dir, "mnist.nnetmodel");
}

function child(path: string): void {
  const before = process.memoryUsage().rss / 2 ** 20;
  const start = performance.now();
  const data = csvDatasetFrom(fileSource(path, statSync(path).size), { shown: "mnist.csv", targets: ["label"], targetKind: "classes" });
  const ms = performance.now() - start;
  const arraysMb = (data.x.data.byteLength + data.y.data.byteLength) / 2 ** 20;
  process.stdout.write(JSON.stringify({ ms, peak: peakMb(), before, arraysMb, rows: data.x.rows }));
}

const numpy = `
import json, resource, sys, time
import numpy as np
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
a = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, dtype=np.float64)
ms = (time.perf_counter() - start) * 1000
print(json.dumps({"ms": ms, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "before": before, "arraysMb": a.nbytes / 2**20, "rows": a.shape[0]}))
`;

interface Measured { ms: number; peak: number; before: number; arraysMb: number; rows: number }

function run(command: string, args: string[]): Measured {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Measured;
}

const show = (s: Spread, digits = 2): string => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

function main(): void {
  const rounds = Number(process.env.NNET_BENCH_ROUNDS ?? 5);
  const dir = mkdtempSync(join(tmpdir(), "nnet-csv-bench-"));
  try {
    const path = join(dir, "mnist.csv");
    writeMnistShaped(path, rows);
    const model = trainModel(dir);
    writeTrainingJob(dir, Number(process.env.NNET_BENCH_TRAIN_EPOCHS ?? 2));
    const mb = statSync(path).size / 2 ** 20;
    console.log(`CSV load: ${rows.toLocaleString("en-US")} × ${pixels + 1}, ${mb.toFixed(0)} MB, ${rounds} interleaved rounds, a fresh process per measurement`);
    const ours: Measured[] = [];
    const theirs: Measured[] = [];
    const evaluated: Measured[] = [];
    const trained: Measured[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(run(process.execPath, [__filename, "child", path]));
      theirs.push(run("/usr/bin/python3", ["-c", numpy, path]));
      evaluated.push(run(process.execPath, [__filename, "evaluate", model, path]));
      trained.push(run(process.execPath, [__filename, "train", dir]));
    }
    if ([...ours, ...theirs, ...evaluated, ...trained].some((m) => m.rows !== rows)) throw new Error("a loader read the wrong number of rows");
    const arrays = ours[0].arraysMb;
    console.log(`  nnet           ${show(spread(ours.map((m) => m.ms)), 0)} ms, peak RSS ${show(spread(ours.map((m) => m.peak)), 0)} MB (Node alone ${ours[0].before.toFixed(0)} MB)`);
    console.log(`  numpy.loadtxt  ${show(spread(theirs.map((m) => m.ms)), 0)} ms, peak RSS ${show(spread(theirs.map((m) => m.peak)), 0)} MB (Python and numpy alone ${theirs[0].before.toFixed(0)} MB)`);
    console.log(`  time ÷ numpy.loadtxt: ${show(spread(ours.map((m, i) => m.ms / theirs[i].ms)))} (target ≤ 2)`);
    console.log(`  peak RSS ÷ numpy.loadtxt's: ${show(spread(ours.map((m, i) => m.peak / theirs[i].peak)))}`);
    const growth = spread(ours.map((m) => (m.peak - m.before) / arrays));
    console.log(`  growth of RSS while loading ÷ the float64 arrays (${arrays.toFixed(0)} MB): ${show(growth)} (target ≤ 1.3)`);
    if (growth.max > 1.3) {
      console.log("  FAILED: the loader's memory exceeded 1.3× its arrays");
      process.exitCode = 1;
    }
    const evaluateGrowth = spread(evaluated.map((m) => (m.peak - m.before) / m.arraysMb));
    console.log(`  nnet evaluate (784-64-10): ${show(spread(evaluated.map((m) => m.ms)), 0)} ms, peak RSS ${show(spread(evaluated.map((m) => m.peak)), 0)} MB`);
    console.log(`  growth of RSS while evaluating ÷ the float64 arrays (${evaluated[0].arraysMb.toFixed(0)} MB): ${show(evaluateGrowth)} (target ≤ 1.3)`);
    if (evaluateGrowth.max > 1.3) {
      console.log("  FAILED: evaluate's memory exceeded 1.3× its arrays");
      process.exitCode = 1;
    }
    const trainGrowth = spread(trained.map((m) => (m.peak - m.before) / m.arraysMb));
    console.log(`  nnet train (784-32-10, validation 0.1, standardised, ${process.env.NNET_BENCH_TRAIN_EPOCHS ?? 2} epochs): ${show(spread(trained.map((m) => m.ms)), 0)} ms, peak RSS ${show(spread(trained.map((m) => m.peak)), 0)} MB`);
    console.log(`  growth of RSS while training ÷ the float64 arrays (${trained[0].arraysMb.toFixed(0)} MB): ${show(trainGrowth)} (target ≤ 1.3)`);
    if (trainGrowth.max > 1.3) {
      console.log("  FAILED: training's memory exceeded 1.3× its arrays");
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "child") child(process.argv[3]);
else if (process.argv[2] === "evaluate") void evaluateChild(process.argv[3], process.argv[4]);
else if (process.argv[2] === "train") void trainChild(process.argv[3]);
else main();
