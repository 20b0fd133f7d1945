/**
 * A 50 MB CSV loads in bounded memory: the cells go straight into
 * Float64Array columns, never into arrays of strings. Measured as the peak
 * RSS of a child process that loads the file as the worker does.
 */
import { spawnSync } from "node:child_process";
import { closeSync, openSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvSample, sampleAbove } from "../../server/src/training/index";
import { buildBundles, csvNetwork, request, root, runToEnd, workspace, removeWorkspaces } from "./helpers";

let worker = "";
beforeAll(async () => {
  worker = (await buildBundles()).worker;
});
afterAll(removeWorkspaces);

function writeBigCsv(path: string, bytes: number): number {
  const fd = openSync(path, "w");
  writeSync(fd, "a,b,c,d,e,label\n");
  const labels = ["cat", "dog", "eel"];
  let size = 0;
  let rows = 0;
  let chunk = "";
  while (size < bytes) {
    const line = `${[1, 2, 3, 4, 5].map((k) => ((rows * k * 7919) % 100000 / 100000).toFixed(5)).join(",")},${labels[rows % 3]}\n`;
    chunk += line;
    size += line.length;
    rows++;
    if (chunk.length > 1 << 20) { writeSync(fd, chunk); chunk = ""; }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  return rows;
}

describe("memory", () => {
  it("loads a 50 MB CSV with a peak RSS under 6× the file's size", async () => {
    const dir = workspace();
    const script = join(dir, "load-csv.js");
    await build({ entryPoints: [join(root, "test/training/fixtures/load-csv.ts")], outfile: script, bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning" });
    const csv = join(dir, "big.csv");
    const rows = writeBigCsv(csv, 50 * 1024 * 1024);
    const megabytes = statSync(csv).size / 2 ** 20;
    const result = spawnSync(process.execPath, [script, csv], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    const measured = JSON.parse(result.stdout) as { rows: number; classes: number; ms: number; maxRssMb: number };
    console.log(`50 MB CSV: ${measured.rows} rows in ${measured.ms} ms, peak RSS ${measured.maxRssMb.toFixed(0)} MB for a ${megabytes.toFixed(0)} MB file`);
    expect(measured.rows).toBe(rows);
    expect(measured.classes).toBe(3);
    expect(measured.maxRssMb).toBeLessThan(6 * megabytes);
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
