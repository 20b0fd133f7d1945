/**
 * Saving and loading model files of 1 M and 50 M parameters: the time of
 * each (median and range over rounds) and the peak memory of the process
 * that does it, beside the model's own size. Each measurement runs in a fresh
 * process so one peak does not hide another.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createNetwork, exportWeights, type NetworkSpec } from "../server/src/engine/index";
import { networkOf } from "../server/src/model/index";
import { readModelFile, writeModelFile } from "../server/src/training/index";

const sizes: Record<string, { input: number; hidden: number }> = {
  "1M": { input: 999, hidden: 1000 },
  "50M": { input: 7070, hidden: 7070 },
};

function spec(size: string): NetworkSpec {
  const { input, hidden } = sizes[size];
  return {
    name: `m${size}`, input: { name: "x", units: input }, loss: "mse",
    layers: [{ kind: "dense", name: "h", units: hidden, from: "x", activation: { name: "tanh" }, init: { name: "xavier" } },
      { kind: "dense", name: "out", units: 1, from: "h", activation: { name: "identity" }, init: { name: "xavier" } }],
  };
}

const peakMb = (): number => process.resourceUsage().maxRSS / 1024;

// The child: one save or one load, reporting its time and its process's peak memory.
function child(mode: string, size: string, path: string): void {
  if (mode === "save") {
    const network = createNetwork(spec(size), { seed: 1 });
    const weights = exportWeights(network);
    const before = peakMb();
    const start = performance.now();
    writeModelFile(path, {
      network: network.spec, features: Array.from({ length: network.nodes[0].units }, (_, i) => `x${i + 1}`),
      outputs: { kind: "values", names: ["out"] }, weights, train: { optimizer: { name: "sgd", lr: 0.1, momentum: 0 }, epochs: 0, batch: 32, validation: 0, seed: 1, shuffle: true, l2: 0 },
      epochs: 0, history: [], savedAt: new Date().toISOString(), createdBy: "bench",
    });
    process.stdout.write(JSON.stringify({ ms: performance.now() - start, peak: peakMb(), before }));
  } else {
    const start = performance.now();
    const network = networkOf(readModelFile(path));
    process.stdout.write(JSON.stringify({ ms: performance.now() - start, peak: peakMb(), units: network.nodes.length }));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(mode: string, size: string, path: string): { ms: number; peak: number } {
  const run = spawnSync(process.execPath, ["--max-old-space-size=4096", __filename, "child", mode, size, path], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`${mode} ${size} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { ms: number; peak: number };
}

function main(): void {
  const rounds = Number(process.env.NNET_BENCH_ROUNDS ?? 3);
  const dir = mkdtempSync(join(tmpdir(), "nnet-model-bench-"));
  try {
    console.log(`model files: save and load, ${rounds} rounds each, a fresh process per measurement`);
    console.log("size  params       file MB  save ms (min–max)        load ms (min–max)        peak MB save / load");
    for (const size of Object.keys(sizes)) {
      const path = join(dir, `m${size}.nnetmodel`);
      const saves: { ms: number; peak: number }[] = [];
      const loads: { ms: number; peak: number }[] = [];
      for (let r = 0; r < rounds; r++) {
        saves.push(measure("save", size, path));
        loads.push(measure("load", size, path));
      }
      const { input, hidden } = sizes[size];
      const params = hidden * (input + 1) + hidden + 1;
      const mb = statSync(path).size / 2 ** 20;
      const range = (xs: number[]): string => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
      console.log([
        size.padEnd(4), params.toLocaleString("en-US").padEnd(11), mb.toFixed(1).padStart(8),
        range(saves.map((s) => s.ms)).padEnd(24), range(loads.map((s) => s.ms)).padEnd(24),
        `${median(saves.map((s) => s.peak)).toFixed(0)} / ${median(loads.map((s) => s.peak)).toFixed(0)}`,
      ].join("  "));
    }
    console.log("peak MB is the whole process (Node itself is about 45 MB); a save holds the network and one copy of its weights, a load the file and the network");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "child") child(process.argv[3], process.argv[4], process.argv[5]);
else main();
