/**
 * train.py replays a dropout run exactly: engine_rng.py is the engine's
 * generator in Python, and the exported Dropout module multiplies by the
 * masks it draws. Checked number by number against the engine's Rng, then
 * by training in PyTorch and comparing the final weights with the engine's.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../server/src/engine/index";
import { decodeContainer } from "../../server/src/model/index";
import { readModelFile } from "../../server/src/training/index";
import { bundles, removeWorkspaces, root, runCli, workspace, type CliResult } from "../training/helpers";
import { hasModules, python, PythonProcess } from "./python";

const torchrun = existsSync("/usr/bin/torchrun") ? ["/usr/bin/torchrun"] : [python, "-m", "torch.distributed.run"];

const hasTorch = hasModules("torch", "numpy");
if (!hasTorch) console.warn("PyTorch dropout replay tests skipped: /usr/bin/python3 cannot import torch (apt install python3-torch)");

let cli = "";
let py: PythonProcess;
beforeAll(async () => {
  if (hasTorch) py = new PythonProcess(["torch", "numpy"], { OMP_NUM_THREADS: "1" });
  cli = bundles().cli;
});
afterAll(async () => {
  await py?.close();
  removeWorkspaces();
});

const nnet = (...args: string[]): CliResult => runCli(cli, root, args);

const streamScript = `
import json, sys
from engine_rng import EngineRng
seeds, purposes, count = json.loads(sys.argv[1])
def stream(seed, purpose):
    r = EngineRng.derive(seed, purpose)
    # next() one at a time, then uniforms() in a block, skip() and next() again: one stream
    first = [r.next() for _ in range(count)] + r.uniforms(count)
    r.skip(count)
    return [repr(v) for v in first + [r.next()]]
print(json.dumps([stream(s, p) for s in seeds for p in purposes]))
`;

// two dropout layers on a DAG, so the masks' order between layers matters as well as within one
const dropoutNet = (optimizer: string): string => `network dropped {
  input m: 4
  layer h1: dense 12 tanh
  layer d1: dropout 0.3
  layer h2: dense 10 gelu
  layer d2: dropout 0.5 from h2
  layer s: concat(d1, d2)
  layer out: dense 3 softmax from s
  loss cross_entropy
  data iris
  train { optimizer ${optimizer}, epochs 6, batch 16, validation 0.2, seed 11 }
}
`;

/** The largest |torch − engine| over each tensor, relative to that tensor's largest |engine| value. */
function weightDifference(trained: string, model: string): number {
  const torch = decodeContainer(readFileSync(trained)).tensors;
  let worst = 0;
  for (const layer of readModelFile(model).weights.layers) {
    for (const [key, engine] of [[`${layer.name}.weight`, layer.W], [`${layer.name}.bias`, layer.b]] as const) {
      const values = torch.get(key)?.data;
      if (!values) throw new Error(`train.py saved no ${key}`);
      expect(values.length).toBe(engine.length);
      const scale = Math.max(...engine.map(Math.abs));
      engine.forEach((v, i) => { worst = Math.max(worst, Math.abs(values[i] - v) / scale); });
    }
  }
  return worst;
}

describe.skipIf(!hasTorch)("train.py's dropout masks are the engine's", () => {
  it("engine_rng.py draws the engine's Rng.derive stream number for number, large and negative-int32 derived seeds included", async () => {
    const out = join(workspace(), "x");
    expect(nnet("export", "examples/xor.nnet", "--to", "pytorch", "--out", out).code).toBe(0);
    const seeds = [0, 1, 7, 11, 2 ** 31 - 1, 2 ** 31 + 5, 2 ** 32 + 3, 2 ** 40 + 12345, 2 ** 52 + 1];
    const purposes = ["dropout", "shuffle", "weights"];
    const count = 40;
    // the script lives beside the export, so that it imports the exported engine_rng.py
    writeFileSync(join(out, "stream.py"), streamScript);
    const python = JSON.parse(await py.stdout(out, "stream.py", [JSON.stringify([seeds, purposes, count])])) as string[][];
    const engine = seeds.flatMap((s) => purposes.map((p) => {
      const r = Rng.derive(s, p);
      const drawn = Array.from({ length: 3 * count + 1 }, () => r.next());
      return [...drawn.slice(0, 2 * count), drawn[3 * count]];
    }));
    expect(python.map((row) => row.map(Number))).toEqual(engine);
  });

  for (const optimizer of ["sgd(lr: 0.1, momentum: 0.9)", "adam(lr: 0.01)"]) {
    it(`${optimizer}: 6 epochs with two dropout layers give the engine's weights to 1e-12; --torch-dropout does not`, async () => {
      const dir = workspace({ "net.nnet": dropoutNet(optimizer) });
      const model = join(dir, "m.nnetmodel");
      expect(nnet("train", "--save", model, join(dir, "net.nnet")).code).toBe(0);
      const out = join(dir, "torch");
      expect(nnet("export", join(dir, "net.nnet"), "--to", "pytorch", "--out", out, "--same-order").code).toBe(0);
      await py.stdout(out, "train.py", ["--save", "engine-masks.safetensors"]);
      const exact = weightDifference(join(out, "engine-masks.safetensors"), model);
      await py.stdout(out, "train.py", ["--save", "torch-masks.safetensors", "--torch-dropout"]);
      const statistical = weightDifference(join(out, "torch-masks.safetensors"), model);
      console.log(`[pytorch export] dropout, ${optimizer}: final weights after 6 epochs, largest difference relative to each tensor's largest: engine masks ${exact.toExponential(2)}, torch's masks ${statistical.toExponential(2)}`);
      expect(exact).toBeLessThan(1e-12);
      expect(statistical).toBeGreaterThan(1e-3);
    }, 120_000);
  }

  it("a trained model's export resumes with the masks of the later epochs, as nnet train --resume: 3 + 3 epochs to 1e-12", async () => {
    const dir = workspace({ "net.nnet": dropoutNet("adam(lr: 0.01)").replace("epochs 6", "epochs 3") });
    const first = join(dir, "first.nnetmodel");
    const resumed = join(dir, "resumed.nnetmodel");
    expect(nnet("train", "--save", first, join(dir, "net.nnet")).code).toBe(0);
    expect(nnet("train", "--epochs", "3", "--resume", first, "--save", resumed, join(dir, "net.nnet")).code).toBe(0);
    expect(readModelFile(resumed).epochs).toBe(6);
    const out = join(dir, "torch");
    expect(nnet("export", first, "--to", "pytorch", "--out", out, "--same-order").code).toBe(0);
    await py.stdout(out, "train.py", ["--save", "resumed.safetensors"]);
    const difference = weightDifference(join(out, "resumed.safetensors"), resumed);
    console.log(`[pytorch export] dropout, resumed adam: weights after epochs 4-6, largest relative difference ${difference.toExponential(2)}`);
    expect(difference).toBeLessThan(1e-12);
  }, 120_000);

  it("torchrun with 2 processes (gloo, CPU): each keeps its rows of the global batch's masks; 2 epochs give the engine's weights to 1e-12", () => {
    const dir = workspace({ "net.nnet": dropoutNet("sgd(lr: 0.1, momentum: 0.9)").replace("epochs 6", "epochs 2") });
    const model = join(dir, "m.nnetmodel");
    expect(nnet("train", "--save", model, join(dir, "net.nnet")).code).toBe(0);
    const out = join(dir, "torch");
    expect(nnet("export", join(dir, "net.nnet"), "--to", "pytorch", "--out", out, "--same-order").code).toBe(0);
    const run = spawnSync(torchrun[0], [...torchrun.slice(1), "--nproc_per_node", "2", "--redirects", "1", "--tee", "1", "train.py", "--save", "two.safetensors"],
      { cwd: out, encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
    if (run.status !== 0) throw new Error(`torchrun failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
    const difference = weightDifference(join(out, "two.safetensors"), model);
    console.log(`[pytorch export] dropout under torchrun, 2 processes: weights after 2 epochs, largest relative difference ${difference.toExponential(2)}`);
    expect(difference).toBeLessThan(1e-12);
  }, 180_000);
});
