/**
 * Models as a user keeps and uses them, through the built CLI: save, stop and
 * resume exactly, checkpoints, refusals that protect the user's files,
 * predict, evaluate and summary.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readModelFile } from "../../server/src/training/index";
import { bundles, jsonLines, removeWorkspaces, root, runCli, workspace, type CliResult } from "../training/helpers";

const { cli } = bundles();
afterAll(removeWorkspaces);

const nnet = (cwd: string, ...args: string[]): CliResult => runCli(cli, cwd, args);

/** A workspace with the examples and their data. */
function examples(): string {
  const dir = workspace();
  mkdirSync(join(dir, "data"));
  for (const name of ["spiral.nnet", "csv.nnet", "sine.nnet", "iris.nnet"]) copyFileSync(join(root, "examples", name), join(dir, name));
  copyFileSync(join(root, "examples/data/fruit.csv"), join(dir, "data/fruit.csv"));
  return dir;
}

describe("stopping and resuming", () => {
  it("3 epochs, then --resume for 3 more, ends with exactly the weights, moments and history of 6 epochs in one go", () => {
    const dir = examples();
    expect(nnet(dir, "train", "spiral.nnet", "--epochs", "6", "--save", "whole.nnetmodel").code).toBe(0);
    expect(nnet(dir, "train", "spiral.nnet", "--epochs", "3", "--save", "part.nnetmodel").code).toBe(0);
    const resumed = nnet(dir, "train", "spiral.nnet", "--resume", "part.nnetmodel", "--epochs", "3", "--save", "part.nnetmodel");
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain("epoch 6/6");
    const whole = readModelFile(join(dir, "whole.nnetmodel"));
    const part = readModelFile(join(dir, "part.nnetmodel"));
    expect(part.weights).toEqual(whole.weights);
    expect(part.optimizer).toEqual(whole.optimizer);
    expect(part.history).toEqual(whole.history);
    expect(part.epochs).toBe(6);
  });

  it("Ctrl-C during --save keeps the last completed epoch, and resuming it gives the uninterrupted run's weights", async () => {
    const dir = examples();
    writeFileSync(join(dir, "long.nnet"), readFileSync(join(dir, "spiral.nnet"), "utf8").replace("epochs 300", "epochs 100000"));
    const child = spawn(process.execPath, [cli, "train", "--json", "long.nnet", "--save", "stopped.nnetmodel"], { cwd: dir });
    let stdout = "";
    let interrupted = false;
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (!interrupted && stdout.includes('"epoch":3,')) interrupted = child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    const done = jsonLines(stdout).pop()!;
    expect(done).toMatchObject({ event: "done", status: "cancelled", saved: "stopped.nnetmodel" });
    const stopped = readModelFile(join(dir, "stopped.nnetmodel"));
    const k = stopped.epochs;
    expect(k).toBeGreaterThanOrEqual(3);
    expect(stopped.history.length).toBe(k);
    expect(nnet(dir, "train", "long.nnet", "--resume", "stopped.nnetmodel", "--epochs", "2", "--save", "stopped.nnetmodel").code).toBe(0);
    expect(nnet(dir, "train", "long.nnet", "--epochs", String(k + 2), "--save", "straight.nnetmodel").code).toBe(0);
    expect(readModelFile(join(dir, "stopped.nnetmodel")).weights).toEqual(readModelFile(join(dir, "straight.nnetmodel")).weights);
  });

  it("Ctrl-C without --save says that nothing was kept", async () => {
    const dir = examples();
    writeFileSync(join(dir, "long.nnet"), readFileSync(join(dir, "spiral.nnet"), "utf8").replace("epochs 300", "epochs 100000"));
    const child = spawn(process.execPath, [cli, "train", "long.nnet"], { cwd: dir });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      const first = stdout === "";
      stdout += chunk;
      if (first) child.kill("SIGINT");
    });
    await new Promise((resolve) => child.once("exit", resolve));
    expect(stdout).toContain("nothing was kept (give --save MODEL.nnetmodel to keep the weights)");
  });

  it("--checkpoint-every N saves the model every N epochs", () => {
    const dir = examples();
    const result = nnet(dir, "train", "spiral.nnet", "--epochs", "5", "--json", "--save", "s.nnetmodel", "--checkpoint-every", "2");
    expect(result.code).toBe(0);
    const checkpoints = jsonLines(result.stdout).filter((e) => e.event === "checkpoint");
    expect(checkpoints).toEqual([{ event: "checkpoint", epoch: 2, saved: "s.nnetmodel" }, { event: "checkpoint", epoch: 4, saved: "s.nnetmodel" }]);
    expect(readModelFile(join(dir, "s.nnetmodel")).epochs).toBe(5);
    expect(nnet(dir, "train", "spiral.nnet", "--checkpoint-every", "2").stderr).toContain("--checkpoint-every needs --save");
  });

  it("--resume refuses a model of another network, and one already trained to the file's epochs", () => {
    const dir = examples();
    expect(nnet(dir, "train", "spiral.nnet", "--epochs", "2", "--save", "s.nnetmodel").code).toBe(0);
    const other = nnet(dir, "train", "sine.nnet", "--resume", "s.nnetmodel");
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/the model cannot continue network 'sine': the model reads 2 inputs, the file's network 1/);
    writeFileSync(join(dir, "short.nnet"), readFileSync(join(dir, "spiral.nnet"), "utf8").replace("epochs 300", "epochs 2"));
    const done = nnet(dir, "train", "short.nnet", "--resume", "s.nnetmodel");
    expect(done.code).toBe(2);
    expect(done.stderr).toContain("the model has already trained 2 of the file's 2 epochs; give --epochs N to train N more");
    expect(done.stderr).toContain("short.nnet has changed since the model was saved");
  });
});

describe("--save protects the user's files", () => {
  it.each([
    ["the .nnet source", "spiral.nnet", "cannot save: spiral.nnet: is the .nnet source itself"],
    ["the training data", "data/fruit.csv", "cannot save: data/fruit.csv: is the training data"],
  ])("refuses %s, before training, and leaves it as it was", (_what, target, message) => {
    const dir = examples();
    const before = readFileSync(join(dir, target));
    const result = nnet(dir, "train", target === "data/fruit.csv" ? "csv.nnet" : "spiral.nnet", "--save", target);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe("");
    expect(readFileSync(join(dir, target))).toEqual(before);
  });

  it("refuses an existing file that is not a model, even with the extension; replaces an earlier model", () => {
    const dir = examples();
    writeFileSync(join(dir, "notes.nnetmodel"), "my notes\n");
    const refused = nnet(dir, "train", "spiral.nnet", "--epochs", "1", "--save", "notes.nnetmodel");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("notes.nnetmodel: exists and is not a model file; it is left as it is");
    expect(readFileSync(join(dir, "notes.nnetmodel"), "utf8")).toBe("my notes\n");
    expect(nnet(dir, "train", "spiral.nnet", "--epochs", "1", "--save", "m.nnetmodel").code).toBe(0);
    expect(nnet(dir, "train", "spiral.nnet", "--epochs", "2", "--save", "m.nnetmodel").code).toBe(0);
    expect(readModelFile(join(dir, "m.nnetmodel")).epochs).toBe(2);
  });
});

describe("nnet predict", () => {
  it("matches CSV columns by header in any order and prints the class label and probability", () => {
    const dir = examples();
    expect(nnet(dir, "train", "csv.nnet", "--epochs", "60", "--save", "fruit.nnetmodel").code).toBe(0);
    writeFileSync(join(dir, "new.csv"), "weight_hg,length_dm\n1.570,0.753\n1.242,1.717\n");
    const text = nnet(dir, "predict", "fruit.nnetmodel", "--data", "new.csv");
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split("\n");
    expect(lines.length).toBe(2);
    for (const line of lines) expect(line).toMatch(/^(apple|banana|cherry|\w+) \(p = 0\.\d{4}\)$/);
    const json = jsonLines(nnet(dir, "predict", "fruit.nnetmodel", "--data", "new.csv", "--json").stdout);
    const inline = jsonLines(nnet(dir, "predict", "fruit.nnetmodel", "--rows", "0.753 1.570; 1.717,1.242", "--json").stdout);
    expect(inline).toEqual(json);
    for (const row of json) {
      const probabilities = Object.values(row.probabilities as Record<string, number>);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(row.probability).toBe(Math.max(...probabilities));
    }
    // the training file itself: its target column is allowed and ignored
    expect(nnet(dir, "predict", "fruit.nnetmodel", "--data", "data/fruit.csv").stdout.trim().split("\n").length).toBe(60);
  });

  it("names a missing or an unknown column, a bad cell, and a broken model", () => {
    const dir = examples();
    expect(nnet(dir, "train", "csv.nnet", "--epochs", "2", "--save", "fruit.nnetmodel").code).toBe(0);
    writeFileSync(join(dir, "missing.csv"), "length_dm\n1\n");
    writeFileSync(join(dir, "extra.csv"), "length_dm,weight_hg,colour\n1,2,3\n");
    writeFileSync(join(dir, "bad.csv"), "length_dm,weight_hg\n1,heavy\n");
    expect(nnet(dir, "predict", "fruit.nnetmodel", "--data", "missing.csv").stderr).toContain("missing.csv: no feature column 'weight_hg' (the header has length_dm)");
    expect(nnet(dir, "predict", "fruit.nnetmodel", "--data", "extra.csv").stderr).toContain("extra.csv: column 'colour' is not a feature of the model (its features: length_dm, weight_hg)");
    expect(nnet(dir, "predict", "fruit.nnetmodel", "--data", "bad.csv").stderr).toContain("bad.csv: row 2, column 2 ('weight_hg'): 'heavy' is not a number");
    writeFileSync(join(dir, "cut.nnetmodel"), readFileSync(join(dir, "fruit.nnetmodel")).subarray(0, 300));
    const cut = nnet(dir, "predict", "cut.nnetmodel", "--rows", "1 2");
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/cut\.nnetmodel: the file is truncated/);
  });

  it("prints a regression's named outputs", () => {
    const dir = examples();
    expect(nnet(dir, "train", "sine.nnet", "--epochs", "3", "--save", "sine.nnetmodel").code).toBe(0);
    expect(nnet(dir, "predict", "sine.nnetmodel", "--rows", "0.5; 1").stdout).toMatch(/^y = -?\d\.\d{4}\ny = -?\d\.\d{4}\n$/);
  });
});

describe("nnet evaluate and summary of a model", () => {
  it("rebuilds the validation split from the seed: the loss is the run's last validation loss, exactly", () => {
    const dir = examples();
    expect(nnet(dir, "train", "csv.nnet", "--epochs", "40", "--save", "fruit.nnetmodel").code).toBe(0);
    const model = readModelFile(join(dir, "fruit.nnetmodel"));
    const result = nnet(dir, "evaluate", "fruit.nnetmodel", "--json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.loss).toBe(model.metrics!.valLoss);
    expect(report.classification.accuracy).toBe(model.metrics!.valAccuracy);
    expect(report.rows).toBe(12);
    expect(report.labels).toEqual((model.outputs as { labels: string[] }).labels);
    const confusion = report.classification.confusion as number[][];
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(12);
    const text = nnet(dir, "evaluate", "fruit.nnetmodel", "--data", "data/fruit.csv");
    expect(text.stdout).toMatch(/on data\/fruit\.csv: 60 rows/);
    expect(text.stdout).toContain("confusion matrix (rows: true class, columns: predicted)");
    expect(text.stdout).toMatch(/class\s+precision\s+recall\s+F1\s+support/);
  });

  it("reports MAE, RMSE and R² for a regression, with the training loss", () => {
    const dir = examples();
    expect(nnet(dir, "train", "sine.nnet", "--epochs", "30", "--save", "sine.nnetmodel").code).toBe(0);
    const report = JSON.parse(nnet(dir, "evaluate", "sine.nnetmodel", "--json").stdout);
    const model = readModelFile(join(dir, "sine.nnetmodel"));
    // sine has no validation split: all its rows, whose loss is what the last epoch's weights give
    expect(report.source).toContain("all its data");
    expect(report.regression.rmse).toBeGreaterThan(0);
    expect(report.regression.r2).toBeLessThanOrEqual(1);
    expect(report.loss).toBeCloseTo((report.regression.rmse ** 2) / 2, 12);
    expect(model.outputs).toEqual({ kind: "values", names: ["y"] });
  });

  it("summary reads a model file: the layers, its classes and where it came from", () => {
    const dir = examples();
    expect(nnet(dir, "train", "iris.nnet", "--epochs", "5", "--save", "iris.nnetmodel").code).toBe(0);
    const result = nnet(dir, "summary", "iris.nnetmodel");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("total parameters: 131");
    expect(result.stdout).toContain("classes: setosa, versicolor, virginica");
    expect(result.stdout).toMatch(/from: iris\.nnet, network 'iris' \(sha256 [0-9a-f]{12}…\)/);
  });
});
