/**
 * predict and evaluate on real-sized CSV files, through the built CLI: a file
 * over the former 64 MiB limit is predicted a batch at a time in memory far
 * below its size, and evaluate's figures agree with predict's rows; late bad
 * cells are named by row and column; the input is never overwritten; a file
 * that changes while it is read is refused; Ctrl-C stops a long prediction.
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, closeSync, existsSync, linkSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundles, jsonLines, removeWorkspaces, runCli, workspace, writeCsvRows, type CliResult } from "../training/helpers";

let cli = "";
let dir = "";
const labels = ["cat", "dog", "eel"];
const features = Array.from({ length: 32 }, (_, k) => `f${k}`);

// Row r's cells: 32 values with twelve decimals (the byte parser's fast path) and a label.
function cells(r: number): string[] {
  return [...features.map((_, k) => (((Math.imul(r + 1, 2654435761) ^ Math.imul(k + 7, 40503)) >>> 0) / 2 ** 32).toFixed(12)), labels[r % 3]];
}

const writeRows = (path: string, bytes: number, edit: (r: number, row: string[]) => string[] = (_, row) => row): number =>
  writeCsvRows(path, `${features.join(",")},label`, bytes, (r) => edit(r, cells(r)).join(","));

const nnet = (...args: string[]): CliResult => runCli(cli, dir, args);

// In a V8 heap of 32 MiB, which could not hold the file's 65 MiB of text, with the process's peak memory; 16 MiB left too little room beside the
// run's own 16 MiB of live objects, and the collector sometimes gave up before the end.
function measured(...args: string[]): CliResult & { peakMib: number } {
  const result = spawnSync(process.execPath, ["--max-old-space-size=32", "--require", join(__dirname, "fixtures/peak-memory.cjs"), cli, ...args], { cwd: dir, encoding: "utf8" });
  const peak = /peak-rss-kib (\d+)/.exec(result.stderr);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, peakMib: Number(peak![1]) / 1024 };
}

beforeAll(async () => {
  cli = bundles().cli;
  dir = workspace();
  writeRows(join(dir, "train.csv"), 200_000);
  writeFileSync(join(dir, "m.nnet"), `network m {
  input x: 32
  layer h: dense 8 tanh
  layer out: dense 3 softmax
  loss cross_entropy
  data csv("train.csv", target: "label")
  train { epochs 2, batch 32, seed 3 }
}
`);
  expect(nnet("train", "m.nnet", "--save", "m.nnetmodel").code).toBe(0);
}, 120_000);
afterAll(removeWorkspaces);

describe("a CSV over 64 MiB (the former limit)", () => {
  it("is predicted a batch at a time, in memory far below its size, and evaluate agrees with predict's rows", { timeout: 300_000 }, () => {
    const rows = writeRows(join(dir, "big.csv"), 65 * 2 ** 20);
    const size = statSync(join(dir, "big.csv")).size;
    expect(size).toBeGreaterThan(64 * 2 ** 20);

    const baseline = measured("predict", "m.nnetmodel", "--rows", cells(0).slice(0, 32).join(" "));
    expect(baseline.code).toBe(0);
    const predicted = measured("predict", "m.nnetmodel", "--data", "big.csv", "--out", "preds.csv");
    expect(predicted.stderr).not.toContain("nnet:");
    expect(predicted.code).toBe(0);
    expect(predicted.stdout).toBe(`wrote ${rows.toLocaleString("en-US")} predictions to preds.csv\n`);
    expect(predicted.stderr).toContain("reading big.csv: 100% (65 of 65 MiB)");
    // read whole, the file alone would take its size again (and csv-parse's strings many times more)
    expect(predicted.peakMib - baseline.peakMib).toBeLessThan(size / 2 ** 20);

    const lines = readFileSync(join(dir, "preds.csv"), "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("row,label,probability,p(cat),p(dog),p(eel)");
    expect(lines.length).toBe(rows + 1);
    // rows across batches against the same rows typed inline (no CSV reader on that path)
    for (const r of [0, 4095, 4096, 70_000, rows - 1]) {
      const inline = jsonLines(nnet("predict", "m.nnetmodel", "--json", "--rows", cells(r).slice(0, 32).join(" ")).stdout)[0];
      const [row, label, probability, ...each] = lines[r + 1].split(",");
      expect(Number(row)).toBe(r + 1);
      expect({ label, probability: Number(probability), probabilities: Object.fromEntries(labels.map((l, k) => [l, Number(each[k])])) })
        .toEqual({ label: inline.label, probability: inline.probability, probabilities: inline.probabilities });
    }

    // evaluate reads the whole file (loss and metrics need every row): its figures from predict's probabilities
    const evaluated = nnet("evaluate", "m.nnetmodel", "--data", "big.csv", "--json");
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout);
    let loss = 0;
    let right = 0;
    for (let r = 0; r < rows; r++) {
      const [, label, , ...each] = lines[r + 1].split(",");
      loss -= Math.log(Number(each[r % 3]));
      if (label === labels[r % 3]) right++;
    }
    expect(report.rows).toBe(rows);
    expect(report.loss).toBeCloseTo(loss / rows, 9);
    expect(report.classification.accuracy).toBe(right / rows);
  });
});

describe("a CSV with quotes (csv-parse's path)", () => {
  it("is predicted a batch at a time too, with the same rows as the file without them", { timeout: 120_000 }, () => {
    const rows = writeRows(join(dir, "plain.csv"), 5 * 2 ** 20);
    expect(rows).toBeGreaterThan(2 * 4096);
    const lines = readFileSync(join(dir, "plain.csv"), "utf8").trimEnd().split("\n");
    writeFileSync(join(dir, "quoted.csv"), lines.map((line) => line.split(",").map((cell) => `"${cell}"`).join(",")).join("\r\n") + "\r\n");
    expect(nnet("predict", "m.nnetmodel", "--data", "plain.csv", "--out", "plain-preds.csv").code).toBe(0);
    expect(nnet("predict", "m.nnetmodel", "--data", "quoted.csv", "--out", "quoted-preds.csv").code).toBe(0);
    const predicted = readFileSync(join(dir, "quoted-preds.csv"), "utf8");
    expect(predicted.trimEnd().split("\n").length).toBe(rows + 1);
    expect(predicted).toBe(readFileSync(join(dir, "plain-preds.csv"), "utf8"));
  });
});

describe("refusals", () => {
  it("names the row and column of a bad cell, a ragged row or an unknown class late in a file, and leaves no --out file", { timeout: 120_000 }, () => {
    const late = 15_000;
    const bad = (at: number, cell: (row: string[]) => string[]) => (r: number, row: string[]): string[] => (r === at ? cell(row) : row);
    writeRows(join(dir, "cell.csv"), 8 * 2 ** 20, bad(late, (row) => [row[0], row[1], "oops", ...row.slice(3)]));
    writeRows(join(dir, "ragged.csv"), 8 * 2 ** 20, bad(late, (row) => row.slice(1)));
    writeRows(join(dir, "fox.csv"), 8 * 2 ** 20, bad(late, (row) => [...row.slice(0, 32), "fox"]));
    const line = late + 2;
    const cell = nnet("predict", "m.nnetmodel", "--data", "cell.csv", "--out", "cell-preds.csv");
    expect(cell.code).toBe(1);
    expect(cell.stderr).toContain(`nnet: cell.csv: row ${line}, column 3 ('f2'): 'oops' is not a number`);
    expect(nnet("evaluate", "m.nnetmodel", "--data", "cell.csv").stderr).toContain(`cell.csv: row ${line}, column 3 ('f2'): 'oops' is not a number`);
    expect(nnet("predict", "m.nnetmodel", "--data", "ragged.csv", "--out", "ragged-preds.csv").stderr).toContain(`ragged.csv: row ${line} has 32 cells; the header has 33`);
    // predict ignores the target column; evaluate reads it against the model's classes
    expect(nnet("predict", "m.nnetmodel", "--data", "fox.csv", "--out", "fox-preds.csv").code).toBe(0);
    const fox = nnet("evaluate", "m.nnetmodel", "--data", "fox.csv", "--json");
    expect(fox.code).toBe(1);
    expect(jsonLines(fox.stdout)).toEqual([{ event: "error", message: `fox.csv: row ${line}, column 33 ('label'): 'fox' is not one of the model's classes (cat, dog, eel)` }]);
    expect(existsSync(join(dir, "cell-preds.csv")) || existsSync(join(dir, "ragged-preds.csv"))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("never writes over the data it reads, nor over a file that is not a predictions CSV", { timeout: 120_000 }, () => {
    writeRows(join(dir, "small.csv"), 16_384);
    const before = readFileSync(join(dir, "small.csv"));
    linkSync(join(dir, "small.csv"), join(dir, "hard.csv"));
    symlinkSync(join(dir, "small.csv"), join(dir, "soft.csv"));
    for (const out of ["small.csv", "hard.csv", "soft.csv"]) {
      const refused = nnet("predict", "m.nnetmodel", "--data", "small.csv", "--out", out);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`nnet: cannot write the predictions: ${out}: is the data file being predicted; choose another name`);
    }
    const notOurs = nnet("predict", "m.nnetmodel", "--data", "small.csv", "--out", "train.csv");
    expect(notOurs.code).toBe(2);
    expect(notOurs.stderr).toContain("train.csv: exists and is not a predictions CSV file; it is left as it is");
    // standard output sent to the data file itself (a shell's >> data.csv)
    const appended = openSync(join(dir, "small.csv"), "a");
    const redirected = spawnSync(process.execPath, [cli, "predict", "m.nnetmodel", "--data", "small.csv"], { cwd: dir, stdio: ["ignore", appended, "pipe"], encoding: "utf8" });
    closeSync(appended);
    expect(redirected.status).toBe(2);
    expect(redirected.stderr).toContain("standard output is small.csv itself; write the predictions to another file (--out FILE.csv)");
    expect(readFileSync(join(dir, "small.csv"))).toEqual(before);
    // an earlier prediction is replaced
    expect(nnet("predict", "m.nnetmodel", "--data", "small.csv", "--out", "again.csv").code).toBe(0);
    expect(nnet("predict", "m.nnetmodel", "--rows", cells(1).slice(0, 32).join(" "), "--out", "again.csv").code).toBe(0);
    expect(readFileSync(join(dir, "again.csv"), "utf8").trimEnd().split("\n").length).toBe(2);
  });
});

/** Runs predict to standard output; `whenWriting` runs once the child is blocked writing rows the test has not read. */
async function blockedPredict(data: string, whenWriting: (pid: number) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, "predict", "m.nnetmodel", "--data", data], { cwd: dir });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdout.once("data", (first) => {
    // the rows come as the file is read: with the pipe full the child waits in its write, far from the file's end
    child.stdout.pause();
    stdout += first;
    whenWriting(child.pid!);
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stdout.resume();
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, stdout, stderr };
}

describe("while a file is read", () => {
  it("a file that grows is refused", { timeout: 120_000 }, async () => {
    const rows = writeRows(join(dir, "growing.csv"), 8 * 2 ** 20);
    const result = await blockedPredict("growing.csv", () => appendFileSync(join(dir, "growing.csv"), cells(0).join(",") + "\n"));
    expect(result.stderr).toContain("nnet: growing.csv: the file changed while it was read; load it again");
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n").length).toBeLessThan(rows);
  });

  it("Ctrl-C stops a prediction before the file's end", { timeout: 120_000 }, async () => {
    const rows = writeRows(join(dir, "long.csv"), 8 * 2 ** 20);
    const result = await blockedPredict("long.csv", (pid) => process.kill(pid, "SIGINT"));
    expect(result.code).toBe(130);
    expect(result.stdout.split("\n").length).toBeLessThan(rows);
  });
});
