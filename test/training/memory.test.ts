/**
 * Large CSV files: one over the former 64 MiB limit trains (its load time
 * and peak memory are measured by `npm run bench`, bench/csv-load.ts), the
 * host's limit refuses a file before reading it, and the checker reads a
 * bounded sample of a large file.
 */
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { csvSample, runJob, sampleAbove, type WorkerMessage } from "../../server/src/training/index";
import { bundles, csvNetwork, writeCsvRows, problems, request, runCli, runToEnd, workspace, removeWorkspaces } from "./helpers";

const { worker, cli } = bundles();
afterAll(removeWorkspaces);

const labels = ["cat", "dog", "eel"];
const writeBigCsv = (path: string, bytes: number): number =>
  writeCsvRows(path, "a,b,c,d,e,label", bytes, (r) => `${[1, 2, 3, 4, 5].map((k) => ((r * k * 7919) % 100000 / 100000).toFixed(5)).join(",")},${labels[r % 3]}`);

describe("a CSV over 64 MiB (the former limit)", () => {
  it("is accepted and trained on, streamed from disk", async () => {
    const dir = workspace();
    const rows = writeBigCsv(join(dir, "big.csv"), 65 * 1024 * 1024);
    expect(statSync(join(dir, "big.csv")).size).toBeGreaterThan(64 * 2 ** 20);
    const text = csvNetwork("big.csv", "label", "dense 3 softmax", "cross_entropy").replace("input x: 2", "input x: 5").replace("epochs 3, batch 4", "epochs 1, batch 4096");
    const { outcome } = await runToEnd(request({ kind: "train", text, path: join(dir, "m.nnet") }), { workerPath: worker });
    expect(outcome.status === "completed" && outcome.result.data).toMatchObject({ rows, features: 5, targets: 3 });
  });

  it("is refused above the limit the host sets, before it is read", () => {
    const dir = workspace();
    writeBigCsv(join(dir, "big.csv"), 2 * 1024 * 1024);
    const text = csvNetwork("big.csv", "label", "dense 3 softmax", "cross_entropy").replace("input x: 2", "input x: 5");
    expect(problems({ kind: "train", text, path: join(dir, "m.nnet"), files: { maxBytes: 2 ** 20 } })).toEqual([
      expect.stringMatching(/the data file 'big\.csv' is 2\.0 MiB; the limit is 1 MiB/),
    ]);
  });
});

describe("progress while a large CSV loads", () => {
  it("the job posts the bytes read before the first epoch, and nnet train shows them on stderr", () => {
    const dir = workspace();
    writeBigCsv(join(dir, "big.csv"), 6 * 1024 * 1024);
    const text = csvNetwork("big.csv", "label", "dense 3 softmax", "cross_entropy").replace("input x: 2", "input x: 5").replace("epochs 3, batch 4", "epochs 1, batch 4096");
    writeFileSync(join(dir, "m.nnet"), text);
    const messages: WorkerMessage[] = [];
    runJob(request({ kind: "train", text, path: join(dir, "m.nnet") }), { post: (m) => messages.push(m), shouldStop: () => false });
    const loading = messages.filter((m) => m.type === "data-progress");
    expect(loading.length).toBeGreaterThan(2);
    expect(messages.findIndex((m) => m.type === "epoch")).toBeGreaterThan(messages.lastIndexOf(loading[loading.length - 1]));
    const done = loading.map((m) => m.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(loading[loading.length - 1]).toEqual({ type: "data-progress", done: statSync(join(dir, "big.csv")).size, total: statSync(join(dir, "big.csv")).size });
    const trained = runCli(cli, dir, ["train", "m.nnet"]);
    expect(trained.code).toBe(0);
    expect(trained.stderr).toMatch(/^reading big\.csv: \d+% \(\d of 6 MiB\)$/m);
    expect(trained.stderr).toContain("reading big.csv: 100% (6 of 6 MiB)\n");
  });
});

describe("the checker's sample of a large CSV", () => {
  it("lets a 5 MB file sorted by class compile with all its classes, and trains on every row", async () => {
    const lines = ["a,b,kind"];
    for (let i = 0; i < 125000; i++) lines.push(`${(i % 97) / 97},${(i % 89) / 89},${i < 124990 ? (i < 60000 ? "p" : "q") : "r"}`);
    const dir = workspace({ "sorted.csv": lines.join("\n") + "\n" });
    expect(statSync(join(dir, "sorted.csv")).size).toBeGreaterThan(sampleAbove);
    const text = csvNetwork("sorted.csv", "kind", "dense 3 softmax", "cross_entropy").replace("epochs 3, batch 4", "epochs 1, batch 1024");
    const job = request({ kind: "train", text, path: join(dir, "m.nnet") });
    expect(job.data.csv).toMatchObject({ targetKind: "classes", labels: ["p", "q", "r"] });
    const { outcome } = await runToEnd(job, { workerPath: worker });
    expect(outcome.status === "completed" && outcome.result.data?.rows).toBe(125000);
  });

  it("nnet check reads a sample: a bad cell late in the file is left to training, which names its row and column", () => {
    const lines = ["a,b,kind"];
    for (let i = 0; i < 300_000; i++) lines.push(`${(i % 97) / 97},${(i % 89) / 89},${i % 2 ? "p" : "q"}`);
    lines[250_000] = "0.5,oops,p";
    const dir = workspace({ "big.csv": lines.join("\n") + "\n" });
    const text = csvNetwork("big.csv", "kind", "dense 2 softmax", "cross_entropy").replace("epochs 3, batch 4", "epochs 1, batch 64");
    writeFileSync(join(dir, "m.nnet"), text);
    const checked = runCli(cli, dir, ["check", "m.nnet"]);
    expect(checked.stderr + checked.stdout).not.toMatch(/oops/);
    expect(checked.code).toBe(0);
    const trained = runCli(cli, dir, ["train", "m.nnet"]);
    expect(trained.code).not.toBe(0);
    expect(trained.stderr).toContain("big.csv: row 250001, column 2 ('b'): 'oops' is not a number");
  });

  it("nnet check names the row where a large file stops being CSV, from the sample's own pass (the file is never read whole)", () => {
    const lines = ["a,b,kind"];
    for (let i = 0; i < 300_000; i++) lines.push(`${(i % 97) / 97},${(i % 89) / 89},${i % 2 ? "p" : "\"q\""}`);
    lines[250_000] = '0.5,"0.25"x,p';
    const dir = workspace({ "big.csv": lines.join("\n") + "\n" });
    expect(statSync(join(dir, "big.csv")).size).toBeGreaterThan(sampleAbove);
    writeFileSync(join(dir, "m.nnet"), csvNetwork("big.csv", "kind", "dense 2 softmax", "cross_entropy"));
    const checked = runCli(cli, dir, ["check", "m.nnet"]);
    expect(checked.code).not.toBe(0);
    expect(checked.stdout + checked.stderr).toMatch(/big\.csv: row 250001: the CSV could not be read: Invalid Closing Quote/);
  });

  it("counts the whole file's rows for the checker, not the sample's", () => {
    const lines = ["a,b,kind"];
    for (let i = 0; i < 300_000; i++) lines.push(`${(i % 97) / 97},${(i % 89) / 89},${i % 2 ? "p" : "q"}`);
    const dir = workspace({ "big.csv": lines.join("\n") + "\n" });
    const text = (batch: number): string => csvNetwork("big.csv", "kind", "dense 2 softmax", "cross_entropy").replace("epochs 3, batch 4", `epochs 1, batch ${batch}`);
    writeFileSync(join(dir, "ok.nnet"), text(200_000));
    writeFileSync(join(dir, "big.nnet"), text(400_000));
    expect(runCli(cli, dir, ["check", "ok.nnet"]).stdout).not.toContain("batch-too-large");
    expect(runCli(cli, dir, ["check", "big.nnet"]).stdout).toContain("larger than the 300000 training rows");
  });

  const sortedByClass = (rows: number): Buffer => {
    const lines = ["x,\"y, quoted\",kind"];
    for (let i = 0; i < rows; i++) lines.push(`${i},${i % 7},${i < rows - 5 ? (i < rows / 2 ? "a" : "b") : "late"}`);
    return Buffer.from(lines.join("\r\n"));
  };

  it("keeps the header, the first rows and the first row of every class, however late", () => {
    const sample = csvSample(sortedByClass(20000), ["kind"])!;
    const lines = sample.trim().split("\n");
    expect(lines[0]).toBe('x,"y, quoted",kind');
    expect(lines.length).toBe(1 + 1000 + 2);
    expect(lines).toContain("10000,4,b");
    expect(lines).toContain("19995,3,late");
  });

  it("samples a numeric target with many values, and gives up (whole file) on a text one with too many", () => {
    const numeric = Buffer.from(["a,t", ...Array.from({ length: 5000 }, (_, i) => `${i},${i / 3}`)].join("\n"));
    expect(csvSample(numeric, ["t"])!.trim().split("\n").length).toBeGreaterThan(1000);
    const names = Buffer.from(["a,t", ...Array.from({ length: 5000 }, (_, i) => `${i},name${i}`)].join("\n"));
    expect(csvSample(names, ["t"])).toBeUndefined();
    expect(csvSample(Buffer.from('a,t\n1,"open\n'), ["t"])).toBeUndefined();
  });
});
