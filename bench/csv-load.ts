/**
 * Loading an MNIST-shaped CSV (60,000 rows, a label and 784 pixel columns,
 * about 100 MB) as training does, against numpy.loadtxt on the same file:
 * the time of each and the peak memory of the process that does it, with
 * ratios as medians over interleaved rounds (min–max). Each measurement runs
 * in a fresh process. The file is generated in a temporary folder and
 * deleted after.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvDatasetFrom } from "../server/src/training/csv-data";
import { fileSource } from "../server/src/training/csv-source";
import { spread, type Spread } from "./timing";

const rows = Number(process.env.NNET_BENCH_CSV_ROWS ?? 60_000);
const pixels = 784;
const peakMb = (): number => process.resourceUsage().maxRSS / 1024;

// Pixels as in MNIST: about four in five are 0, the rest 1–255.
function writeMnistShaped(path: string): void {
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

function child(path: string): void {
  const before = process.memoryUsage().rss / 2 ** 20;
  const start = performance.now();
  const data = csvDatasetFrom(fileSource(path, statSync(path).size), { shown: "mnist.csv", targets: ["label"], targetKind: "classes" });
  const ms = performance.now() - start;
  const arraysMb = (data.x.data.byteLength + data.y.data.byteLength) / 2 ** 20;
  process.stdout.write(JSON.stringify({ ms, peak: peakMb(), before, arraysMb, rows: data.x.cols }));
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
    writeMnistShaped(path);
    const mb = statSync(path).size / 2 ** 20;
    console.log(`CSV load: ${rows.toLocaleString("en-US")} × ${pixels + 1}, ${mb.toFixed(0)} MB, ${rounds} interleaved rounds, a fresh process per measurement`);
    const ours: Measured[] = [];
    const theirs: Measured[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(run(process.execPath, [__filename, "child", path]));
      theirs.push(run("/usr/bin/python3", ["-c", numpy, path]));
    }
    if (ours.some((m) => m.rows !== rows) || theirs.some((m) => m.rows !== rows)) throw new Error("a loader read the wrong number of rows");
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "child") child(process.argv[3]);
else main();
