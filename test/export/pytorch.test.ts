/**
 * `nnet export --to pytorch`, run as a user would: the built CLI trains and
 * exports, then Debian's /usr/bin/python3 (with python3-torch) runs the
 * exported project. The figures measured are printed for docs/export.md.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyStandardiser, createNetwork, importWeights, predict, transpose, zeros } from "../../server/src/engine/index";
import { exportPytorch, ExportError } from "../../server/src/export/index";
import { decodeContainer, type TrainedModel } from "../../server/src/model/index";
import { modelDataset, readModelFile } from "../../server/src/training/index";
import { cliRunner, removeWorkspaces, root, workspace } from "../training/helpers";
import { hasModules, python, PythonProcess } from "./python";

const torchrun = existsSync("/usr/bin/torchrun") ? ["/usr/bin/torchrun"] : [python, "-m", "torch.distributed.run"];
const hasTorch = hasModules("torch", "numpy");
if (!hasTorch) console.warn("PyTorch export tests skipped: /usr/bin/python3 cannot import torch; install the Debian package python3-torch (apt install python3-torch)");
const threads = { OMP_NUM_THREADS: "1" };

/** the exported scripts, all run in one interpreter (torch is imported once per file, not per case) */
let py: PythonProcess;
beforeAll(() => {
  if (hasTorch) py = new PythonProcess(["torch", "numpy", "torch.distributed", "torch.nn.parallel"], threads);
});
afterAll(async () => {
  await py?.close();
  removeWorkspaces();
});

const nnet = cliRunner(root);

function run(command: string[], cwd: string): string {
  const result = spawnSync(command[0]!, command.slice(1), { cwd, encoding: "utf8", env: { ...process.env, ...threads } });
  if (result.status !== 0) throw new Error(`${command.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** |a − b| / max(|a|, |b|), 0 when both are 0. */
const relative = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

// JSON lines of train.py or `nnet train --json`; torchrun --tee prefixes each line with [defaultN]:
const jsonLines = (text: string): Record<string, number>[] =>
  text.split("\n").map((l) => l.replace(/^\[default\d+\]:/, "").trim()).filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));

// A .nnet file with the three activations the examples do not use, in layers named as nn.Module's methods.
const activationsNet = `network acts {
  input x: 1
  layer forward: dense 8 elu(alpha: 0.7)
  layer cast: dense 8 leaky_relu(alpha: 0.2) from forward
  layer eval: dense 8 softplus from cast
  layer y: dense 1 identity from eval
  loss mse
  data sine(samples: 64, noise: 0.1)
  train { optimizer adam(lr: 0.01), epochs 3, batch 16, seed 3 }
}
`;

describe.skipIf(!hasTorch)("the exported module predicts what the engine predicts", () => {
  const cases: [string, string][] = [
    ["iris", "examples/iris.nnet"], ["spiral", "examples/spiral.nnet"], ["residual", "examples/residual.nnet"], ["sine", "examples/sine.nnet"], ["acts", ""],
    ["iris-dropout (gelu, silu, dropout in eval mode)", "examples/iris-dropout.nnet"],
  ];
  for (const [name, file] of cases) {
    it(`${name}: predict.py on the saved weights equals the engine's predictions to 1e-12`, async () => {
      const dir = workspace({ "acts.nnet": activationsNet });
      const model = join(dir, `${name}.nnetmodel`);
      expect(nnet("train", "--epochs", "20", "--save", model, file || join(dir, "acts.nnet")).code).toBe(0);
      const out = join(dir, "torch");
      expect(nnet("export", model, "--to", "pytorch", "--out", out).code).toBe(0);
      const outputs = JSON.parse(await py.stdout(out, "predict.py", ["--json"])) as number[][];
      // layers named as nn.Module's methods get a trailing _ and still load and run
      if (name === "acts") expect(readFileSync(join(out, "model.py"), "utf8")).toContain("self.forward_ = nn.Linear(1, 8, dtype=torch.float64)");

      const trained = readModelFile(model);
      const network = createNetwork(trained.network);
      importWeights(network, trained.weights);
      const raw = modelDataset(trained, model);
      const x = trained.standardiser ? applyStandardiser(raw, trained.standardiser).x : raw.x;
      const engine = predict(network, transpose(x));
      expect(outputs.length).toBe(engine.cols);
      let worst = 0;
      outputs.forEach((row, c) => row.forEach((v, r) => { worst = Math.max(worst, relative(v, engine.data[r * engine.cols + c])); }));
      console.log(`[pytorch export] ${name}: predictions, max relative difference ${worst.toExponential(2)} over ${engine.cols}×${engine.rows}`);
      expect(worst).toBeLessThan(1e-12);
    });
  }
});

const sgdNet = `network dag {
  input x: 2
  layer h1: dense 12 tanh
  layer h2: dense 12 relu
  layer skip: add(h1, h2)
  layer wide: concat(skip, x)
  layer out: dense 1 sigmoid from wide
  loss binary_cross_entropy
  data moons(samples: 200, noise: 0.1)
  train { optimizer sgd(lr: 0.1, momentum: 0.9), epochs 50, batch 24, validation 0.2, seed 4, l2 0.001 }
}
`;

const adamNet = `network flowers {
  input m: 4
  layer h: dense 10 tanh
  layer out: dense 3 softmax
  loss cross_entropy
  data iris
  train { optimizer adam(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-7), epochs 40, batch 16, validation 0.2, seed 9, l2 0.01 }
}
`;

// mse on a softmax output is not fused: the chain rule through softmax's Jacobian, elu and softplus.
const unfusedNet = `network unfused {
  input m: 4
  layer h: dense 8 elu
  layer g: dense 8 softplus
  layer out: dense 3 softmax
  loss mse
  data iris
  train { optimizer sgd(lr: 0.05), epochs 10, batch 32, validation 0.1, seed 2, shuffle false }
}
`;

// three sigmoid labels per example: accuracy is the share of label decisions right, as the engine counts it
const multiLabelNet = `network tags {
  input x: 2
  layer h: dense 6 tanh
  layer out: dense 3 sigmoid
  loss binary_cross_entropy
  data { 0 0 -> 0 0 1 ; 0 1 -> 1 0 1 ; 1 0 -> 1 1 0 ; 1 1 -> 0 1 0 ; 0.5 0.5 -> 1 1 1 ; 0.2 0.8 -> 0 0 0 ; 0.9 0.1 -> 1 0 0 ; 0.3 0.3 -> 0 1 1 }
  train { optimizer sgd(lr: 0.5), epochs 5, batch 3, validation 0.25, seed 7 }
}
`;

const scheduledNet = (settings: string): string => `network scheduled {
  input m: 4
  layer h: dense 10 tanh
  layer out: dense 3 softmax
  loss cross_entropy
  data iris
  train { ${settings}, epochs 40, batch 16, validation 0.2, seed 9, l2 0.001 }
}
`;

// gelu, silu and selu through F.gelu/F.silu/F.selu; huber and l1 in train.py's loss and update
const grownNet = `network grown {
  input x: 1
  layer h1: dense 10 gelu
  layer h2: dense 10 silu
  layer h3: dense 10 selu from h1
  layer sum: add(h2, h3)
  layer out: dense 1 from sum
  loss huber(delta: 0.3)
  data sine(samples: 120, noise: 0.1)
  train { optimizer adam(lr: 0.01), epochs 20, batch 16, validation 0.2, seed 5, l1 0.001, l2 0.0001 }
}
`;

const maeNet = grownNet.replace("loss huber(delta: 0.3)", "loss mae").replace("adam(lr: 0.01)", "sgd(lr: 0.05, momentum: 0.5)");

describe.skipIf(!hasTorch)("train.py replays the engine's training", () => {
  const cases: [string, string, string[]][] = [
    ["rmsprop+momentum, cosine with warmup, --same-order", scheduledNet("optimizer rmsprop(lr: 0.01, rho: 0.9, momentum: 0.5), schedule cosine(min_lr: 1e-4, warmup: 2)"), ["--same-order"]],
    ["adamw+l2, step, --same-order", scheduledNet("optimizer adamw(lr: 0.02, weight_decay: 0.1), schedule step(every: 2, gamma: 0.5)"), ["--same-order"]],
    ["sgd nesterov, exponential, --same-order", scheduledNet("optimizer sgd(lr: 0.1, momentum: 0.9, nesterov: true), schedule exponential(gamma: 0.8)"), ["--same-order"]],
    ["gelu, silu, selu, huber, adam+l1+l2, --same-order", grownNet, ["--same-order"]],
    ["mae, sgd+momentum+l1+l2, --same-order", maeNet, ["--same-order"]],
    ["sgd+momentum+l2 (add, concat), --same-order", sgdNet, ["--same-order"]],
    ["adam+l2 (softmax), --same-order", adamNet, ["--same-order"]],
    ["mse on softmax, elu, softplus, shuffle false (no order file)", unfusedNet, []],
    ["multi-label sigmoid with binary cross-entropy, per-label accuracy, --same-order", multiLabelNet, ["--same-order"]],
  ];
  for (const [name, text, flags] of cases) {
    it(`${name}: 5 epochs from the engine's initial weights give the engine's losses to 1e-9`, async () => {
      const dir = workspace({ "net.nnet": text });
      const engine = jsonLines(nnet("train", "--json", "--epochs", "5", join(dir, "net.nnet")).stdout).filter((e) => e.epoch !== undefined && (e as { event?: unknown }).event === "epoch");
      const out = join(dir, "torch");
      expect(nnet("export", join(dir, "net.nnet"), "--to", "pytorch", "--out", out, ...flags).code).toBe(0);
      expect(existsSync(join(out, "order.npy"))).toBe(flags.length > 0);
      const torch = jsonLines(await py.stdout(out, "train.py", ["--epochs", "5", "--json"]));
      expect(torch.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
      expect(engine.length).toBe(5);
      let worst = 0;
      torch.forEach((e, i) => {
        for (const key of ["loss", "valLoss", "accuracy", "valAccuracy", "lr"]) {
          // a regression has no accuracy: the engine reports null, train.py leaves the key out
          if (engine[i][key] === null && e[key] === undefined) continue;
          worst = Math.max(worst, relative(e[key], engine[i][key]));
        }
      });
      console.log(`[pytorch export] ${name}: per-epoch losses and learning rates over 5 epochs, max relative difference ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(1e-9);
    });
  }
});

describe.skipIf(!hasTorch)("a trained model's export continues as nnet train --resume", () => {
  it("adam's moments and step and the later epochs' shuffles carry over: 3 more epochs to 1e-9", async () => {
    const dir = workspace({ "net.nnet": adamNet.replace("epochs 40", "epochs 3") });
    const model = join(dir, "m.nnetmodel");
    expect(nnet("train", "--save", model, join(dir, "net.nnet")).code).toBe(0);
    const engine = jsonLines(nnet("train", "--json", "--epochs", "3", "--resume", model, join(dir, "net.nnet")).stdout).filter((e) => (e as { event?: unknown }).event === "epoch");
    const out = join(dir, "torch");
    expect(nnet("export", model, "--to", "pytorch", "--out", out, "--same-order").code).toBe(0);
    expect(existsSync(join(out, "optimizer.safetensors"))).toBe(true);
    const torch = jsonLines(await py.stdout(out, "train.py", ["--json"]));
    expect(torch.map((e) => e.epoch)).toEqual([4, 5, 6]);
    expect(engine.map((e) => e.epoch)).toEqual([4, 5, 6]);
    let worst = 0;
    torch.forEach((e, i) => { for (const key of ["loss", "valLoss"]) worst = Math.max(worst, relative(e[key], engine[i][key])); });
    const fresh = jsonLines(await py.stdout(out, "train.py", ["--json", "--moments", ""]));
    console.log(`[pytorch export] resumed adam: per-epoch losses of epochs 4-6, max relative difference ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-9);
    expect(relative(fresh[0].loss, engine[0].loss)).toBeGreaterThan(1e-6);
  });
});

describe.skipIf(!hasTorch)("torchrun", () => {
  it("2 processes (gloo, CPU) give one process's weights after one epoch to 1e-9", async () => {
    const dir = workspace({ "net.nnet": sgdNet });
    const out = join(dir, "torch");
    expect(nnet("export", join(dir, "net.nnet"), "--to", "pytorch", "--out", out).code).toBe(0);
    await py.stdout(out, "train.py", ["--epochs", "1", "--save", "one.safetensors"]);
    const log = run([...torchrun, "--nproc_per_node", "2", "--redirects", "1", "--tee", "1", "train.py", "--epochs", "1", "--save", "two.safetensors", "--json"], out);
    expect(jsonLines(log).length).toBe(1);
    const one = decodeContainer(readFileSync(join(out, "one.safetensors"))).tensors;
    const two = decodeContainer(readFileSync(join(out, "two.safetensors"))).tensors;
    const exported = decodeContainer(readFileSync(join(out, "weights.safetensors"))).tensors;
    expect([...two.keys()].sort()).toEqual([...one.keys()].sort());
    let worst = 0;
    let moved = 0;
    for (const [key, tensor] of one) {
      const other = two.get(key)!.data;
      const scale = Math.max(...tensor.data.map(Math.abs));
      tensor.data.forEach((v, i) => { const d = Math.abs(v - other[i]); worst = Math.max(worst, d === 0 ? 0 : d / scale); });
      moved = Math.max(moved, ...tensor.data.map((v, i) => Math.abs(v - exported.get(key)!.data[i])));
    }
    console.log(`[pytorch export] torchrun 2 processes vs 1: weights after one epoch, max difference relative to each tensor's largest ${worst.toExponential(2)}`);
    expect(moved).toBeGreaterThan(1e-3);
    expect(worst).toBeLessThan(1e-9);
  });
});

describe("what the PyTorch export refuses", () => {
  const dataset = { x: zeros(4, 2), y: zeros(4, 1) };
  let model: TrainedModel;
  beforeAll(() => {
    const dir = workspace();
    const path = join(dir, "xor.nnetmodel");
    expect(nnet("train", "--epochs", "1", "--save", path, "examples/xor.nnet").code).toBe(0);
    model = readModelFile(path);
  });

  it("a layer kind or an activation it cannot express is named, and nothing is written", () => {
    const out = join(workspace(), "never");
    const conv = { ...model, network: { ...model.network, layers: [...model.network.layers, { kind: "conv", name: "c", units: 1, from: "out" }] } } as unknown as TrainedModel;
    expect(() => exportPytorch(conv, { out, dataset })).toThrow(ExportError);
    expect(() => exportPytorch(conv, { out, dataset })).toThrow("layer 'c' of kind 'conv' has no PyTorch export");
    const layers = model.network.layers.map((l) => (l.kind === "dense" ? { ...l, activation: { name: "mish" } } : l));
    const mish = { ...model, network: { ...model.network, layers } } as unknown as TrainedModel;
    expect(() => exportPytorch(mish, { out, dataset })).toThrow(/activation 'mish' of layer '\w+' has no PyTorch export/);
    expect(existsSync(out)).toBe(false);
  });

  it("a non-empty folder that is not an earlier export is left alone; an earlier export is written again", () => {
    const dir = workspace({ "mine/notes.txt": "mine" });
    const refused = nnet("export", "examples/xor.nnet", "--to", "pytorch", "--out", join(dir, "mine"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is not empty and is not an earlier PyTorch export");
    expect(readdirSync(join(dir, "mine"))).toEqual(["notes.txt"]);
    expect(readFileSync(join(dir, "mine/notes.txt"), "utf8")).toBe("mine");

    const out = join(dir, "export");
    expect(nnet("export", "examples/xor.nnet", "--to", "pytorch", "--out", out, "--same-order").code).toBe(0);
    expect(existsSync(join(out, "order.npy"))).toBe(true);
    writeFileSync(join(out, "trained.safetensors"), "the user's");
    const again = nnet("export", "examples/xor.nnet", "--to", "pytorch", "--out", out);
    expect(again.code).toBe(0);
    expect(existsSync(join(out, "order.npy"))).toBe(false);
    expect(readFileSync(join(out, "trained.safetensors"), "utf8")).toBe("the user's");
    expect(readdirSync(out).sort()).toEqual([".nnet-export.json", "README.md", "checkpoint.py", "config.json", "data.csv", "data.py", "engine_rng.py", "model.py", "predict.py", "split.json", "train.py", "trained.safetensors", "weights.safetensors"]);
    mkdirSync(join(dir, "file-parent"));
    writeFileSync(join(dir, "file-parent/f"), "");
    expect(nnet("export", "examples/xor.nnet", "--to", "pytorch", "--out", join(dir, "file-parent/f")).stderr).toContain("is a file, not a folder");
  });

  it("the split and the shuffles written are the engine's: every training row once per epoch, none of the validation rows", () => {
    const dir = workspace();
    const out = join(dir, "iris");
    expect(nnet("export", "examples/iris.nnet", "--to", "pytorch", "--out", out, "--same-order").code).toBe(0);
    const split = JSON.parse(readFileSync(join(out, "split.json"), "utf8")) as { train: number[]; validation: number[] };
    expect(split.validation.length).toBe(30);
    expect([...split.train, ...split.validation].sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    const npy = readFileSync(join(out, "order.npy"));
    const headerLength = npy.readUInt16LE(8);
    expect(npy.subarray(10, 10 + headerLength).toString()).toContain("'shape': (200, 120)");
    const first = new Int32Array(npy.buffer.slice(npy.byteOffset + 10 + headerLength, npy.byteOffset + 10 + headerLength + 120 * 4));
    expect([...first].sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i));
  });
});
