/**
 * Data loading faults, each with its message: CSV content (ragged rows, bad
 * quotes, non-numeric or non-finite cells, BOM, CRLF, non-UTF-8, empty),
 * the file itself (missing, unreadable, too large, outside the workspace)
 * and inline rows.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  csvDataset, csvDatasetFromBytes, firstInvalidUtf8, loadDataset, prepareJob, runJob, type JobRequest, type WorkerMessage,
} from "../../server/src/training/index";
import { bundles, csvNetwork, problems, request, workspace, removeWorkspaces } from "./helpers";
import { prepareData } from "../../server/src/engine/index";

const { cli } = bundles();
afterAll(removeWorkspaces);

const good = "x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n";

/** Runs the job in-process and answers its last message. */
function outcome(job: JobRequest): WorkerMessage {
  const messages: WorkerMessage[] = [];
  runJob(job, { post: (m) => messages.push(m), shouldStop: () => false });
  return messages[messages.length - 1];
}

describe("CSV content", () => {
  it("reads a well-formed file into examples × features, with BOM and CRLF", () => {
    for (const text of [good, "\uFEFF" + good, good.replace(/\n/g, "\r\n")]) {
      const data = csvDataset(text, { shown: "d.csv", targets: ["label"] });
      expect(data.x.cols).toBe(2);
      expect(Array.from(data.x.data)).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
      expect(Array.from(data.y.data)).toEqual([0, 1, 1, 0]);
      expect(data.featureNames).toEqual(["x1", "x2"]);
    }
  });

  it("one-hot encodes a text target in order of first appearance; quoted cells with commas are one cell", () => {
    const data = csvDataset('a,"b, quoted",kind\n1,2,cat\n3,4,dog\n5,6,cat\n', { shown: "d.csv", targets: ["kind"] });
    expect(data.classNames).toEqual(["cat", "dog"]);
    expect(data.y.cols).toBe(2);
    expect(Array.from(data.y.data)).toEqual([1, 0, 0, 1, 1, 0]);
    expect(data.featureNames).toEqual(["a", "b, quoted"]);
  });

  it("names the row and column of a non-numeric feature", () => {
    expect(() => csvDataset("x1,x2,label\n0,0,0\n0,abc,1\n", { shown: "d.csv", targets: ["label"] }))
      .toThrow("d.csv: row 3, column 2 ('x2'): 'abc' is not a number");
  });

  it("names the row and column of NaN, Infinity and empty cells", () => {
    expect(() => csvDataset("x1,x2,label\n0,0,0\nNaN,1,1\n", { shown: "d.csv", targets: ["label"] })).toThrow("row 3, column 1 ('x1'): 'NaN' is not a number");
    expect(() => csvDataset("x1,x2,label\n0,Infinity,0\n", { shown: "d.csv", targets: ["label"] })).toThrow("row 2, column 2 ('x2'): 'Infinity' is not a finite number");
    expect(() => csvDataset("x1,x2,label\n0,,0\n", { shown: "d.csv", targets: ["label"] })).toThrow("row 2, column 2 ('x2'): '' is empty");
  });

  it("counts rows as file lines across CRLF", () => {
    expect(() => csvDataset("x1,x2,label\r\n0,0,0\r\n1,1,1\r\n2,x,1\r\n", { shown: "d.csv", targets: ["label"] })).toThrow("row 4, column 2");
  });

  it("refuses a ragged row, naming it", () => {
    expect(() => csvDataset("x1,x2,label\n0,0,0\n1,1\n", { shown: "d.csv", targets: ["label"] })).toThrow("d.csv: row 3 has 2 cells; the header has 3");
  });

  it("refuses a bad quote with the row csv-parse found it on", () => {
    expect(() => csvDataset('x1,x2,label\n0,0,0\n1,"1"x,1\n', { shown: "d.csv", targets: ["label"] })).toThrow(/d\.csv: row 3: the CSV could not be read: Invalid Closing Quote/);
    expect(() => csvDataset('x1,x2,label\n0,0,0\n1,"1,1\n', { shown: "d.csv", targets: ["label"] })).toThrow(/the CSV could not be read: Quote Not Closed/);
  });

  it("refuses an empty file and a header without rows", () => {
    expect(() => csvDataset("", { shown: "d.csv", targets: ["label"] })).toThrow("d.csv: the CSV file is empty; it needs a header row");
    expect(() => csvDataset("x1,x2,label\n", { shown: "d.csv", targets: ["label"] })).toThrow("d.csv: has a header but no data rows");
  });

  it("refuses bytes that are not UTF-8, naming the byte, its offset and row", () => {
    const latin1 = Uint8Array.from([...Buffer.from("x1,x2,label\n0,0,0\n1,1,caf"), 0xe9, ...Buffer.from("\n")]);
    expect(() => csvDatasetFromBytes(latin1, { shown: "d.csv", targets: ["label"] }))
      .toThrow("d.csv: not valid UTF-8: byte 0xE9 at offset 25 (row 3); save the file as UTF-8");
    const fine = Buffer.from("x1,x2,label\n0,0,café\n1,1,thé\n", "utf8");
    expect(csvDatasetFromBytes(fine, { shown: "d.csv", targets: ["label"] }).classNames).toEqual(["café", "thé"]);
  });

  it("refuses a class beyond classes: N", () => {
    expect(() => csvDataset("a,b,k\n1,2,p\n3,4,q\n5,6,r\n", { shown: "d.csv", targets: ["k"], classes: 2 }))
      .toThrow("row 4, column 3 ('k'): 'r' is class number 3, but classes is 2");
  });
});

describe("the UTF-8 check", () => {
  it("agrees with TextDecoder's fatal mode on any bytes, and points at a byte that breaks decoding", () => {
    const bytes = fc.uint8Array({ maxLength: 40 }).map((a) => a.map((b) => (b % 3 === 0 ? b : b | 0x80)));
    fc.assert(fc.property(bytes, (array) => {
      let valid = true;
      try { new TextDecoder("utf-8", { fatal: true }).decode(array); } catch { valid = false; }
      const offset = firstInvalidUtf8(array);
      expect(offset === -1).toBe(valid);
      if (!valid) {
        // everything before the offset is valid UTF-8 on its own
        expect(() => new TextDecoder("utf-8", { fatal: true }).decode(array.subarray(0, offset))).not.toThrow();
      }
    }), { numRuns: 3000 });
  });
});

describe("CSV data through compile and the job", () => {
  it("refuses a bad cell at compile time, with the checker's FILE:LINE:COL and the CSV row and column", () => {
    const dir = workspace({ "data.csv": "x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,oops,0\n" });
    const [message] = problems({ kind: "train", text: csvNetwork("data.csv"), path: join(dir, "model.nnet"), displayName: "model.nnet" });
    expect(message).toBe("model.nnet:6:12: error nnet/csv-invalid: data.csv: the feature column 'x2' is not numeric: row 5, column 2 holds 'oops'");
  });

  it("gives the row and column of a bad cell as the job's failure when the file changed after the check", () => {
    const dir = workspace({ "data.csv": good });
    const job = request({ kind: "train", text: csvNetwork("data.csv"), path: join(dir, "model.nnet") });
    writeFileSync(join(dir, "data.csv"), "x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,Infinity,0\n");
    const message = outcome(job);
    expect(message.type).toBe("failed");
    if (message.type !== "failed") return;
    expect(message.failure.message).toBe("data.csv: row 5, column 2 ('x2'): 'Infinity' is not a finite number");
    expect(message.failure).toMatchObject({ row: 5, column: 2 });
    writeFileSync(join(dir, "data.csv"), Buffer.from([...Buffer.from("x1,x2,label\n0,0,0\n"), 0xff, 0x0a]));
    const bytes = outcome(job);
    expect(bytes.type === "failed" && bytes.failure.message).toBe("data.csv: not valid UTF-8: byte 0xFF at offset 18 (row 3); save the file as UTF-8");
  });

  it("holds a file's rows once, in shared memory: the job's split puts them in order, its parts share them, with the copying path's values", () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${(i * 7) % 11},${(i * 3) % 5 - 2},${i % 3 === 0 ? "a" : i % 3 === 1 ? "b" : "c"}`);
    const dir = workspace({ "data.csv": ["x1,x2,label", ...rows].join("\n") + "\n" });
    const text = csvNetwork("data.csv", "label", "dense 3 softmax", "cross_entropy").replace("train { epochs 3, batch 4 }", "train { epochs 3, batch 4, validation 0.25, seed 6 }");
    const job = request({ kind: "train", text, path: join(dir, "model.nnet") });
    const { data, summary } = prepareJob(job);
    const copied = prepareData(loadDataset(job.data, job.train.seed), { validation: 0.25, seed: 6, standardise: true });
    expect(summary).toMatchObject({ rows: 40, train: 30, validation: 10, features: 2, targets: 3 });
    for (const part of ["train", "validation"] as const) {
      expect(data[part]!.x).toEqual(copied[part]!.x);
      expect(data[part]!.y).toEqual(copied[part]!.y);
    }
    expect(data.standardiser).toEqual(copied.standardiser);
    expect(data.train.x.data.buffer).toBe(data.validation!.x.data.buffer);
    // the training threads gather batches from it without a copy
    expect(data.train.x.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(data.train.x.data.byteOffset).toBe(10 * 2 * 8);
    expect(data.train.y.data.buffer).toBe(data.validation!.y.data.buffer);
  });

  it("trains on a file with a BOM and CRLF line ends", () => {
    const dir = workspace({ "data.csv": "\uFEFF" + good.replace(/\n/g, "\r\n") });
    const message = outcome(request({ kind: "train", text: csvNetwork("data.csv"), path: join(dir, "model.nnet") }));
    expect(message.type).toBe("done");
  });

  it("refuses a missing file with its path", () => {
    const dir = workspace();
    const found = problems({ kind: "train", text: csvNetwork("nowhere.csv"), path: join(dir, "model.nnet") });
    expect(found[0]).toContain("cannot read the data file 'nowhere.csv'");
    expect(found[0]).toContain("no such file");
  });

  it("refuses paths that leave the workspace: ../, absolute, and a symlink out", () => {
    const outside = workspace({ "secret.csv": good });
    const dir = workspace({ "inside/model.nnet": "" });
    symlinkSync(join(outside, "secret.csv"), join(dir, "link.csv"));
    const model = join(dir, "model.nnet");
    for (const path of ["../../../../../../etc/passwd", join(outside, "secret.csv"), "link.csv"]) {
      const [message] = problems({ kind: "train", text: csvNetwork(path), path: model });
      expect(message).toContain("outside the workspace");
      expect(message).toContain("--allow-outside-workspace");
    }
    const allowed = request({ kind: "train", text: csvNetwork("link.csv"), path: model, files: { allowOutsideWorkspace: true } });
    expect(outcome(allowed).type).toBe("done");
  });

  it("reads a file inside the workspace root given explicitly, even above the .nnet file's folder", () => {
    const dir = workspace({ "data/d.csv": good, "models/m.nnet": "" });
    const text = csvNetwork("../data/d.csv");
    expect(problems({ kind: "train", text, path: join(dir, "models/m.nnet") })[0]).toContain("outside the workspace");
    expect(outcome(request({ kind: "train", text, path: join(dir, "models/m.nnet"), files: { root: dir } })).type).toBe("done");
  });

  it("refuses a file above the size limit", () => {
    const dir = workspace({ "data.csv": good + "0,0,0\n".repeat(200) });
    const [message] = problems({ kind: "train", text: csvNetwork("data.csv"), path: join(dir, "m.nnet"), files: { maxBytes: 1024 } });
    expect(message).toMatch(/the data file 'data.csv' is 0\.0 MiB; the limit is 0 MiB|is .* MiB; the limit/);
  });

  it("refuses an unreadable file with 'permission denied'", () => {
    const dir = workspace({ "data.csv": good, "model.nnet": csvNetwork("data.csv") });
    chmodSync(join(dir, "data.csv"), 0o000);
    chmodSync(dir, 0o755);
    // root reads through chmod 000, so there the CLI runs as the unprivileged 'nobody' to see the refusal
    const asRoot = process.getuid?.() === 0;
    const result = spawnSync(process.execPath, [cli, "train", join(dir, "model.nnet")], {
      encoding: "utf8", ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    if (result.error) return console.warn(`permission test skipped: cannot run as nobody (${result.error.message})`);
    expect(result.stderr).toContain("cannot read the data file 'data.csv': permission denied");
    expect(result.status).toBe(1);
  });
});

describe("inline rows", () => {
  const inline = (rows: string): string => `network n {
  input x: 2
  layer out: dense 1 sigmoid
  loss bce
  data { ${rows} }
}
`;

  it("refuses an infinite value (1e999) at its token, with its row, before any worker starts", () => {
    expect(problems({ kind: "train", text: inline("0 0 -> 0 ; 1 1e999 -> 1"), displayName: "m.nnet" })).toEqual([
      "m.nnet:5:23: error nnet/out-of-range: row 2, feature 2 is 1e999, which overflows float64 (whose largest number is about 1.8e308); it must be a finite number",
    ]);
  });

  it("refuses empty data: no inline rows, or a CSV with only its header", () => {
    expect(problems({ kind: "train", text: inline(""), displayName: "m.nnet" })[0]).toBe("m.nnet:5:8: error nnet/inline-row-width: inline data needs at least one row, such as '{ 0 0 -> 0 ; 1 1 -> 0 }'");
    const dir = workspace({ "e.csv": "x1,x2,label\n" });
    expect(problems({ kind: "train", text: csvNetwork("e.csv"), path: join(dir, "m.nnet") })).toEqual(["the data file 'e.csv' has a header but no data rows"]);
  });
});
