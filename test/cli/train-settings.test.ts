/**
 * Early stopping, schedules and the new optimizers as a user drives them:
 * `nnet train … --json`, `--save`, `--resume` and `nnet evaluate` on the built CLI.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readModelFile } from "../../server/src/training/index";
import { bundles, jsonLines, once, removeWorkspaces, root, runCli, workspace, type CliResult } from "../training/helpers";

const { cli } = bundles();
afterAll(removeWorkspaces);

const nnet = (cwd: string, ...args: string[]): CliResult => runCli(cli, cwd, args);

// 28 noisy training rows against 8,000 weights: the validation loss turns up within a few dozen epochs
const overfit = (patience: number, extra = ""): string => `network overfit {
  input x: 1
  layer h1: dense 64 tanh
  layer h2: dense 64 tanh
  layer out: dense 1
  loss mse
  data sine(samples: 40, noise: 0.4)
  train {
    optimizer adam(lr: 0.01)
    stop_early(patience: ${patience}, monitor: val_loss)
    ${extra}
    epochs 3000
    batch 8
    validation 0.3
    seed 2
  }
}
`;

interface Stopped { epoch: number; bestEpoch: number; monitor: string; best: number; patience: number; reason: string }

describe("stop_early", () => {
  it("stops an overfitting run, reports where and why, and keeps the best epoch's weights", () => {
    const dir = workspace({ "over.nnet": overfit(25) });
    const run = nnet(dir, "train", "over.nnet", "--json", "--save", "over.nnetmodel");
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    const epochs = lines.filter((e) => e.event === "epoch") as { epoch: number; valLoss: number; lr: number }[];
    const done = lines.find((e) => e.event === "done") as { epochs: number; valLoss: number; stopped: Stopped };
    const stopped = done.stopped;
    // the first epoch with the lowest validation loss, and patience epochs after it
    const lowest = epochs.reduce((best, e) => (e.valLoss < best.valLoss ? e : best));
    expect(stopped).toMatchObject({ monitor: "val_loss", patience: 25, bestEpoch: lowest.epoch, best: lowest.valLoss, epoch: lowest.epoch + 25 });
    expect(epochs.length).toBe(stopped.epoch);
    expect(stopped.epoch).toBeLessThan(3000);
    expect(epochs.every((e) => e.lr === 0.01)).toBe(true);
    expect(done).toMatchObject({ epochs: lowest.epoch, valLoss: lowest.valLoss });
    expect(stopped.reason).toBe(`val_loss did not improve for 25 epochs; kept the weights of epoch ${lowest.epoch} (val_loss ${Number(lowest.valLoss.toPrecision(4))})`);

    const model = readModelFile(join(dir, "over.nnetmodel"));
    expect(model.epochs).toBe(lowest.epoch);
    expect(model.stopped).toEqual(stopped);
    expect(model.history.length).toBe(stopped.epoch);
    expect(model.metrics?.valLoss).toBe(lowest.valLoss);
    // the saved weights are the best epoch's: evaluating them on the validation split gives its loss again
    const evaluated = JSON.parse(nnet(dir, "evaluate", "over.nnetmodel", "--json").stdout) as { loss: number };
    expect(Math.abs(evaluated.loss - lowest.valLoss)).toBeLessThan(1e-12 * lowest.valLoss);

    const summary = nnet(dir, "summary", "over.nnetmodel");
    expect(summary.stdout).toContain(`trained: ${lowest.epoch} epochs with adam (lr 0.01), batch 8`);
    expect(summary.stdout).toContain(`stopped early at epoch ${stopped.epoch}: ${stopped.reason}`);

    const text = nnet(dir, "train", "over.nnet");
    expect(text.stdout).toContain(`stopped early at epoch ${stopped.epoch}/3000: ${stopped.reason}`);
    expect(text.stdout).toContain(`trained overfit: epoch ${String(lowest.epoch).padStart(4)}/3000`);
  });

  it("resuming an early-stopped model must beat its best epoch: the same settings stop at the same place with the same weights, more patience only improves", () => {
    const dir = workspace({ "over.nnet": overfit(25), "patient.nnet": overfit(60) });
    expect(nnet(dir, "train", "over.nnet", "--save", "first.nnetmodel").code).toBe(0);
    const first = readModelFile(join(dir, "first.nnetmodel"));
    const again = nnet(dir, "train", "over.nnet", "--json", "--resume", "first.nnetmodel", "--save", "again.nnetmodel");
    expect(again.code).toBe(0);
    const done = jsonLines(again.stdout).find((e) => e.event === "done") as { stopped: Stopped; epochs: number };
    expect(done.stopped).toEqual(first.stopped);
    const resumed = readModelFile(join(dir, "again.nnetmodel"));
    expect(resumed.weights).toEqual(first.weights);
    expect(resumed.epochs).toBe(first.epochs);
    // the history keeps the epochs up to the best one, then the resumed run's
    expect(resumed.history.map((m) => m.epoch)).toEqual(Array.from({ length: first.stopped!.epoch }, (_, i) => i + 1));

    expect(nnet(dir, "train", "patient.nnet", "--resume", "first.nnetmodel", "--save", "patient.nnetmodel").code).toBe(0);
    const patient = readModelFile(join(dir, "patient.nnetmodel"));
    expect(patient.epochs).toBeGreaterThanOrEqual(first.epochs);
    expect(patient.metrics!.valLoss!).toBeLessThanOrEqual(first.metrics!.valLoss!);
  });

  it("the checker refuses monitoring val_loss without validation, with the fixes", () => {
    const dir = workspace({ "noval.nnet": overfit(5).replace("validation 0.3", "validation 0") });
    const check = nnet(dir, "check", "noval.nnet");
    expect(check.code).toBe(1);
    expect(check.stderr + check.stdout).toContain("nnet/monitor-needs-validation: stop_early monitors val_loss, which needs a validation set, but validation is 0");
  });
});

const resumable: Record<string, string> = {
  "rmsprop with momentum, step": "optimizer rmsprop(lr: 0.005, momentum: 0.5)\n    schedule step(every: 2, gamma: 0.5)",
  "adamw, exponential with warmup": "optimizer adamw(lr: 0.01, weight_decay: 0.1)\n    schedule exponential(gamma: 0.9, warmup: 2)",
  "sgd nesterov, step": "optimizer sgd(lr: 0.05, momentum: 0.9, nesterov: true)\n    schedule step(every: 4, gamma: 0.1)",
};

describe("the optimizers' state through the model file", () => {
  it.each(Object.keys(resumable))("%s: 3 epochs, then --resume for 3 more, ends with exactly the weights, state and history of 6 in one go", (name) => {
    const dir = workspace({
      "net.nnet": `network n {
  input x: 2
  layer h: dense 8 tanh
  layer out: dense 1 sigmoid
  loss binary_cross_entropy
  data moons(samples: 60)
  train {
    ${resumable[name]}
    epochs 6
    batch 8
  }
}
`,
    });
    expect(nnet(dir, "train", "net.nnet", "--save", "whole.nnetmodel").code).toBe(0);
    expect(nnet(dir, "train", "net.nnet", "--epochs", "3", "--save", "part.nnetmodel").code).toBe(0);
    expect(nnet(dir, "train", "net.nnet", "--resume", "part.nnetmodel", "--epochs", "3", "--save", "part.nnetmodel").code).toBe(0);
    const whole = readModelFile(join(dir, "whole.nnetmodel"));
    const part = readModelFile(join(dir, "part.nnetmodel"));
    expect(whole.optimizer!.optimizer).toBe(whole.train.optimizer.name);
    expect(whole.optimizer!.step).toBe(48);
    expect(part.weights).toEqual(whole.weights);
    expect(part.optimizer).toEqual(whole.optimizer);
    expect(part.history).toEqual(whole.history);
    expect(new Set(whole.history.map((m) => m.lr)).size).toBeGreaterThan(1);
    expect(part.train.schedule).toEqual(whole.train.schedule);
  });

  it("a model file whose optimizer is not one the tool knows is refused, naming the field", () => {
    const dir = workspace({ "net.nnet": "network n {\n  input x: 2\n  layer out: dense 1 sigmoid\n  loss bce\n  data xor\n  train { optimizer rmsprop(lr: 0.01), epochs 2 }\n}\n" });
    expect(nnet(dir, "train", "net.nnet", "--save", "m.nnetmodel").code).toBe(0);
    const path = join(dir, "m.nnetmodel");
    const bytes = readFileSync(path);
    // a name of the same length, so the header's length still holds
    const text = bytes.toString("latin1").replace('\\"optimizer\\":\\"rmsprop\\",\\"step\\"', '\\"optimizer\\":\\"adagrad\\",\\"step\\"');
    expect(text).not.toBe(bytes.toString("latin1"));
    writeFileSync(path, Buffer.from(text, "latin1"));
    const summary = nnet(dir, "summary", "m.nnetmodel");
    expect(summary.code).toBe(2);
    expect(summary.stderr).toContain("optimizer.optimizer is not one of sgd, adam, adamw, rmsprop");
  });
});

// both examples below are measured against the same run of examples/iris.nnet
const irisRun = once(() => jsonLines(nnet(root, "train", "--json", "examples/iris.nnet").stdout));

describe("examples/iris-scheduled.nnet", () => {
  it("warms up, follows the cosine, stops early, and ends with a lower validation loss than examples/iris.nnet", () => {
    const done = (file: string) => jsonLines(nnet(root, "train", "--json", file).stdout).filter((e) => e.event !== "error");
    const scheduled = done("examples/iris-scheduled.nnet");
    const plain = irisRun().find((e) => e.event === "done") as { valLoss: number };
    const end = scheduled.find((e) => e.event === "done") as { valLoss: number; stopped?: Stopped };
    const rates = scheduled.filter((e) => e.event === "epoch").map((e) => e.lr as number);
    expect(rates.slice(0, 6)).toEqual([1, 2, 3, 4, 5, 6].map((e) => (e === 6 ? 0.01 : (0.01 * e) / 6)));
    expect(rates[7]!).toBeLessThan(rates[6]!);
    expect(end.stopped?.epoch).toBeLessThan(200);
    console.log(`[iris-scheduled] stopped at epoch ${end.stopped?.epoch}, best ${end.stopped?.bestEpoch}: val loss ${end.valLoss} against iris.nnet's ${plain.valLoss}`);
    expect(end.valLoss).toBeLessThan(plain.valLoss);
  });
});

describe("examples/iris-grown.nnet", () => {
  it("with dropout, a schedule and early stopping, checks clean, passes its gradient check and beats examples/iris.nnet's validation loss", () => {
    expect(nnet(root, "check", "examples/iris-grown.nnet").code).toBe(0);
    const done = (file: string) => jsonLines(nnet(root, "train", "--json", file).stdout).find((e) => e.event === "done") as { valLoss: number; stopped?: Stopped };
    const grown = done("examples/iris-grown.nnet");
    const plain = irisRun().find((e) => e.event === "done") as { valLoss: number };
    expect(grown.stopped?.bestEpoch).toBeGreaterThan(0);
    console.log(`[iris-grown] stopped at epoch ${grown.stopped?.epoch}, best ${grown.stopped?.bestEpoch}: val loss ${grown.valLoss} against iris.nnet's ${plain.valLoss}`);
    expect(grown.valLoss).toBeLessThan(plain.valLoss);
    expect(nnet(root, "gradcheck", "examples/iris-grown.nnet").code).toBe(0);
  });
});

// The header of a model file as JSON, and a writer that puts a changed one back (re-padded to 8 bytes).
function rewriteModel(path: string, change: (header: Record<string, any>, tensor: (name: string) => Float64Array) => void): void {
  const bytes = readFileSync(path);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString("utf8"));
  const body = Buffer.from(bytes.subarray(8 + length));
  const tensor = (name: string): Float64Array => {
    const [begin, end] = header[name].data_offsets as [number, number];
    return new Float64Array(body.buffer, body.byteOffset + begin, (end - begin) / 8);
  };
  change(header, tensor);
  let text = JSON.stringify(header);
  text += " ".repeat((8 - ((8 + Buffer.byteLength(text)) % 8)) % 8);
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(Buffer.byteLength(text)));
  writeFileSync(path, Buffer.concat([size, Buffer.from(text, "utf8"), body]));
}

describe("model files from before sgd kept torch's momentum buffer", () => {
  it("a file holding the velocity v = −η·buffer resumes to exactly the uninterrupted run", () => {
    const dir = workspace({
      "net.nnet": "network n {\n  input x: 2\n  layer h: dense 6 tanh\n  layer out: dense 1 sigmoid\n  loss bce\n  data moons(samples: 60)\n  train { optimizer sgd(lr: 0.05, momentum: 0.9), epochs 6, batch 8 }\n}\n",
    });
    expect(nnet(dir, "train", "net.nnet", "--save", "whole.nnetmodel").code).toBe(0);
    expect(nnet(dir, "train", "net.nnet", "--epochs", "3", "--save", "old.nnetmodel").code).toBe(0);
    rewriteModel(join(dir, "old.nnetmodel"), (header, tensor) => {
      const model = JSON.parse(header.__metadata__.model);
      expect(model.optimizer.momentum).toBe("torch");
      delete model.optimizer.momentum;
      header.__metadata__.model = JSON.stringify(model);
      for (const name of Object.keys(header).filter((key) => key.endsWith(".first"))) {
        const values = tensor(name);
        for (let i = 0; i < values.length; i++) values[i] = -0.05 * values[i];
      }
    });
    const old = readModelFile(join(dir, "old.nnetmodel"));
    expect(nnet(dir, "train", "net.nnet", "--resume", "old.nnetmodel", "--epochs", "3", "--save", "old.nnetmodel").code).toBe(0);
    const whole = readModelFile(join(dir, "whole.nnetmodel"));
    const resumed = readModelFile(join(dir, "old.nnetmodel"));
    expect(old.optimizer!.layers[0]!.first.W.some((v) => v !== 0)).toBe(true);
    // −(−η·buffer)/η rounds back to the buffer, or within an ulp of it
    resumed.weights.layers.forEach((layer, l) => layer.W.forEach((w, i) => expect(Math.abs(w - whole.weights.layers[l]!.W[i]!)).toBeLessThan(1e-14)));
  });
});
