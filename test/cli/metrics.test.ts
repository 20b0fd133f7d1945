/**
 * The metrics a run reports and the columns it chose, through the built CLI:
 * `nnet train --json` and its table, the model file, `nnet predict` by name
 * on the wider table and `nnet evaluate`. The figures are recomputed with
 * numpy from the model's own predictions.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readModelFile } from "../../server/src/training/index";
import { bundles, jsonLines, removeWorkspaces, runCli, workspace, type CliResult } from "../training/helpers";

const { cli } = bundles();
afterAll(removeWorkspaces);

const nnet = (cwd: string, ...args: string[]): CliResult => runCli(cli, cwd, args);

// Three classes written as digits, two useful features, a noisy one, an id and a text column the network never sees.
function classTable(): string {
  const rows = ["id,note,u,v,noise,digit"];
  for (let i = 0; i < 90; i++) {
    const k = i % 3;
    const u = Math.cos((2 * Math.PI * k) / 3) * 2 + Math.sin(i * 7.1) * 0.9;
    const v = Math.sin((2 * Math.PI * k) / 3) * 2 + Math.cos(i * 3.7) * 0.9;
    rows.push(`${i},row${i},${u.toFixed(4)},${v.toFixed(4)},${Math.sin(i * 1.3).toFixed(4)},${k}`);
  }
  return rows.join("\n") + "\n";
}

function regressionTable(): string {
  const rows = ["a,label,b,y1,y2"];
  for (let i = 0; i < 60; i++) {
    const a = Math.sin(i * 0.7);
    const b = Math.cos(i * 1.1);
    rows.push(`${a.toFixed(4)},t${i % 2},${b.toFixed(4)},${(2 * a - b + 0.1 * Math.sin(i * 5.3)).toFixed(4)},${(a * b + 3).toFixed(4)}`);
  }
  return rows.join("\n") + "\n";
}

const numpyMetrics = `
import json, sys
import numpy as np
d = json.load(sys.stdin)
if d["kind"] == "classes":
    t, p, k = np.array(d["true"]), np.array(d["pred"]), d["k"]
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (t, p), 1)
    tp = np.diag(C).astype(float)
    col, row = C.sum(axis=0).astype(float), C.sum(axis=1).astype(float)
    prec = np.divide(tp, col, out=np.zeros(k), where=col > 0)
    rec = np.divide(tp, row, out=np.zeros(k), where=row > 0)
    f1 = np.divide(2 * prec * rec, prec + rec, out=np.zeros(k), where=(prec + rec) > 0)
    print(json.dumps({"confusion": C.tolist(), "precision": prec.tolist(), "recall": rec.tolist(), "f1": f1.tolist(), "accuracy": float(tp.sum() / C.sum())}))
else:
    A, Y = np.array(d["a"]), np.array(d["y"])
    err = A - Y
    r2 = 1 - (err ** 2).sum(axis=0) / ((Y - Y.mean(axis=0)) ** 2).sum(axis=0)
    print(json.dumps({"mae": float(np.abs(err).mean()), "rmse": float(np.sqrt((err ** 2).mean())), "r2": float(r2.mean()),
                      "perOutput": [{"mae": float(np.abs(err[:, j]).mean()), "rmse": float(np.sqrt((err[:, j] ** 2).mean())), "r2": float(r2[j])} for j in range(A.shape[1])]}))
`;

function numpy(input: unknown): Record<string, unknown> {
  const run = spawnSync("/usr/bin/python3", ["-c", numpyMetrics], { input: JSON.stringify(input), encoding: "utf8" });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

const hasNumpy = spawnSync("/usr/bin/python3", ["-c", "import numpy"]).status === 0;

describe("classification metrics and chosen columns", () => {
  const network = (validation: number) => `network digits {
  input x: 2
  layer h: dense 8 tanh
  layer out: dense 3 softmax
  loss cross_entropy
  data csv("digits.csv", target: "digit", features: ["v", "u"], classes: 3)
  train { optimizer adam(lr: 0.05), epochs 40, batch 16, validation ${validation}, seed 4 }
}
`;

  it.skipIf(!hasNumpy)("reports per-class precision, recall, F1 and the confusion matrix on the training data when there is no split, as numpy computes them", () => {
    const dir = workspace({ "digits.csv": classTable(), "digits.nnet": network(0) });
    const run = nnet(dir, "train", "digits.nnet", "--json", "--save", "digits.nnetmodel");
    expect(run.code).toBe(0);
    const done = jsonLines(run.stdout).pop() as { metrics: { part: string; kind: string; names: string[]; report: { confusion: number[][]; accuracy: number; perClass: { precision: number; recall: number; f1: number; support: number }[] } } };
    expect([done.metrics.part, done.metrics.kind, done.metrics.names]).toEqual(["training", "classes", ["0", "1", "2"]]);
    const model = readModelFile(join(dir, "digits.nnetmodel"));
    expect(model.features).toEqual(["v", "u"]);
    expect(model.metrics?.report).toEqual(done.metrics);
    // the model reads its features by name from the wider table, whatever the order of its columns
    const predicted = nnet(dir, "predict", "digits.nnetmodel", "--data", "digits.csv", "--json");
    expect(predicted.stderr).toBe("");
    const labels = jsonLines(predicted.stdout).map((p) => done.metrics.names.indexOf(p.label as string));
    const truth = classTable().trim().split("\n").slice(1).map((line) => Number(line.split(",")[5]));
    const reference = numpy({ kind: "classes", k: 3, true: truth, pred: labels });
    const report = done.metrics.report;
    expect(report.confusion).toEqual(reference.confusion);
    expect(report.accuracy).toBeCloseTo(reference.accuracy as number, 14);
    expect(report.perClass.map((c) => c.precision)).toEqual((reference.precision as number[]).map((v) => expect.closeTo(v, 14)));
    expect(report.perClass.map((c) => c.recall)).toEqual((reference.recall as number[]).map((v) => expect.closeTo(v, 14)));
    expect(report.perClass.map((c) => c.f1)).toEqual((reference.f1 as number[]).map((v) => expect.closeTo(v, 14)));
    expect(report.perClass.map((c) => c.support)).toEqual([30, 30, 30]);
  });

  it("says the metrics are on the validation split when there is one, in the table and in nnet evaluate", () => {
    const dir = workspace({ "digits.csv": classTable(), "digits.nnet": network(0.3) });
    const run = nnet(dir, "train", "digits.nnet", "--save", "digits.nnetmodel");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("metrics on the validation split:");
    expect(run.stdout).toMatch(/class\s+precision\s+recall\s+F1\s+support\n0\s/);
    expect(run.stdout).toContain("confusion matrix (rows: true class, columns: predicted)");
    const model = readModelFile(join(dir, "digits.nnetmodel"));
    const report = model.metrics!.report!;
    expect(report.part).toBe("validation");
    const confusion = report.kind === "classes" ? report.report.confusion : [];
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(27);
    const evaluated = JSON.parse(nnet(dir, "evaluate", "digits.nnetmodel", "--json").stdout) as { classification: { confusion: number[][] } };
    expect(evaluated.classification.confusion).toEqual(confusion);
  });
});

// Three yes/no labels per row: two follow the features, the third only partly, so its precision and recall differ.
function tagTable(): string {
  const rows = ["u,v,red,green,blue"];
  for (let i = 0; i < 80; i++) {
    const u = Math.sin(i * 1.7) * 2;
    const v = Math.cos(i * 0.9) * 2;
    rows.push(`${u.toFixed(4)},${v.toFixed(4)},${Number(u > 0)},${Number(v > 0.5)},${Number(u + v > 0 && Math.sin(i * 3.1) > -0.6)}`);
  }
  return rows.join("\n") + "\n";
}

describe("per-label metrics of a multi-label network (sigmoid units with binary cross-entropy)", () => {
  it.skipIf(!hasNumpy)("reports each label's confusion matrix, precision, recall and F1, as numpy computes them from the predictions at 0.5", () => {
    const source = `network tags {
  input x: 2
  layer h: dense 8 tanh
  layer out: dense 3 sigmoid
  loss binary_cross_entropy
  data csv("tags.csv", target: ["red", "green", "blue"], features: ["u", "v"])
  train { optimizer adam(lr: 0.05), epochs 30, batch 16, seed 4 }
}
`;
    const dir = workspace({ "tags.csv": tagTable(), "tags.nnet": source });
    const run = nnet(dir, "train", "tags.nnet", "--json", "--save", "tags.nnetmodel");
    expect(run.code).toBe(0);
    type Report = { accuracy: number; confusion: number[][]; perClass: { precision: number; recall: number; f1: number; support: number }[]; macroF1: number };
    const done = jsonLines(run.stdout).pop() as { metrics: { part: string; kind: string; names: string[]; perLabel: Report[] } };
    expect([done.metrics.part, done.metrics.kind, done.metrics.names]).toEqual(["training", "labels", ["red", "green", "blue"]]);
    const predicted = jsonLines(nnet(dir, "predict", "tags.nnetmodel", "--data", "tags.csv", "--json").stdout);
    const truth = tagTable().trim().split("\n").slice(1).map((line) => line.split(",").slice(2).map(Number));
    expect(predicted.length).toBe(truth.length);
    let imperfect = 0;
    done.metrics.names.forEach((name, j) => {
      const pred = predicted.map((p) => Number((p.values as Record<string, number>)[name] >= 0.5));
      const reference = numpy({ kind: "classes", k: 2, true: truth.map((t) => t[j]), pred });
      const report = done.metrics.perLabel[j];
      expect(report.confusion, name).toEqual(reference.confusion);
      expect(report.accuracy).toBeCloseTo(reference.accuracy as number, 14);
      for (const key of ["precision", "recall", "f1"] as const) {
        expect(report.perClass.map((c) => c[key]), `${name} ${key}`).toEqual((reference[key] as number[]).map((v) => expect.closeTo(v, 14)));
      }
      expect(report.macroF1).toBeCloseTo(((reference.f1 as number[])[0] + (reference.f1 as number[])[1]) / 2, 14);
      expect(report.perClass.map((c) => c.support)).toEqual([truth.filter((t) => t[j] === 0).length, truth.filter((t) => t[j] === 1).length]);
      if (report.accuracy < 1) imperfect++;
    });
    // the check has teeth: some label is not predicted perfectly
    expect(imperfect).toBeGreaterThan(0);
    const table = nnet(dir, "train", "tags.nnet");
    expect(table.stdout).toMatch(/label\s+accuracy\s+precision\s+recall\s+F1\s+support\nred\s/);
    const blue = done.metrics.perLabel[2].perClass[1];
    expect(table.stdout).toMatch(new RegExp(`blue\\s+[\\d.]+%\\s+${blue.precision.toFixed(3)}\\s+${blue.recall.toFixed(3)}\\s+${blue.f1.toFixed(3)}\\s+${blue.support}\n`));
  });
});

describe("regression metrics over several target columns", () => {
  it.skipIf(!hasNumpy)("reports MAE, RMSE and R² per output and overall, named by the target columns, as numpy computes them", () => {
    const source = `network two {
  input x: 2
  layer h: dense 8 tanh
  layer out: dense 2
  loss mse
  data csv("table.csv", target: ["y1", "y2"], features: ["a", "b"])
  train { optimizer adam(lr: 0.02), epochs 30, batch 8, seed 2 }
}
`;
    const dir = workspace({ "table.csv": regressionTable(), "two.nnet": source });
    const run = nnet(dir, "train", "two.nnet", "--json", "--save", "two.nnetmodel");
    expect(run.code).toBe(0);
    const done = jsonLines(run.stdout).pop() as { metrics: { part: string; kind: string; names: string[]; report: { mae: number; rmse: number; r2: number; perOutput: { mae: number; rmse: number; r2: number }[] } } };
    expect([done.metrics.part, done.metrics.kind, done.metrics.names]).toEqual(["training", "values", ["y1", "y2"]]);
    const predicted = jsonLines(nnet(dir, "predict", "two.nnetmodel", "--data", "table.csv", "--json").stdout);
    const a = predicted.map((p) => [(p.values as Record<string, number>).y1, (p.values as Record<string, number>).y2]);
    const y = regressionTable().trim().split("\n").slice(1).map((line) => [Number(line.split(",")[3]), Number(line.split(",")[4])]);
    const reference = numpy({ kind: "values", a, y }) as { mae: number; rmse: number; r2: number; perOutput: { mae: number; rmse: number; r2: number }[] };
    const report = done.metrics.report;
    for (const key of ["mae", "rmse", "r2"] as const) expect(report[key]).toBeCloseTo(reference[key], 12);
    report.perOutput.forEach((o, j) => {
      for (const key of ["mae", "rmse", "r2"] as const) expect(o[key]).toBeCloseTo(reference.perOutput[j][key], 12);
    });
    const table = nnet(dir, "train", "two.nnet");
    expect(table.stdout).toContain("metrics on the training data (no validation split):");
    expect(table.stdout).toMatch(/output\s+MAE\s+RMSE\s+R²\ny1\s/);
  });
});
