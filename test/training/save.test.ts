/**
 * Atomic saving: a failure or a crash at any point of a save leaves the
 * previous file whole; a completed save leaves the new one, and the saved
 * JSON holds the weights, the standardisation and the history.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyStandardiser, createNetwork, evaluateDataset, importWeights, irisDataset, splitDataset } from "../../server/src/engine/index";
import { runJob, saveRun, writeFileAtomic, type JobResult, type SavedRun, type WorkerMessage } from "../../server/src/training/index";
import { example, request, root, workspace, removeWorkspaces } from "./helpers";

const old = JSON.stringify({ version: "old" });
let child = "";

beforeAll(async () => {
  child = join(workspace(), "save-child.js");
  await build({ entryPoints: [join(root, "test/training/fixtures/save-child.ts")], outfile: child, bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning" });
});
afterAll(removeWorkspaces);

describe("atomic writes", () => {
  it("replaces the file and leaves no temporary behind", () => {
    const dir = workspace({ "w.json": old });
    writeFileAtomic(join(dir, "w.json"), "new");
    expect(readFileSync(join(dir, "w.json"), "utf8")).toBe("new");
    expect(readdirSync(dir)).toEqual(["w.json"]);
  });

  it("keeps the old file when the write fails between fsync and rename", () => {
    const dir = workspace({ "w.json": old });
    expect(() => writeFileAtomic(join(dir, "w.json"), "new", { beforeRename: () => { throw new Error("disk gone"); } })).toThrow("disk gone");
    expect(readFileSync(join(dir, "w.json"), "utf8")).toBe(old);
    expect(readdirSync(dir)).toEqual(["w.json"]);
  });

  it("keeps the old file when the process is killed just before the rename", () => {
    const dir = workspace({ "w.json": old });
    const result = spawnSync(process.execPath, [child, join(dir, "w.json"), "die-before-rename"]);
    expect(result.signal).toBe("SIGKILL");
    expect(readFileSync(join(dir, "w.json"), "utf8")).toBe(old);
    // the flushed temporary is left beside it, never in its place
    expect(readdirSync(dir).filter((name) => name !== "w.json").every((name) => name.endsWith(".tmp"))).toBe(true);
  });

  it("keeps the old file when the process is killed in the middle of writing a large file", async () => {
    const dir = workspace({ "w.json": old });
    const process_ = spawn(process.execPath, [child, join(dir, "w.json"), "slow"], { stdio: ["ignore", "pipe", "ignore"] });
    await new Promise<void>((resolve) => process_.stdout.once("data", () => resolve()));
    // wait until the temporary exists and is being filled, then kill
    const temporary = (): boolean => readdirSync(dir).some((name) => name.endsWith(".tmp"));
    for (let i = 0; i < 400 && !temporary(); i++) await new Promise((r) => setTimeout(r, 5));
    const midWrite = temporary();
    process_.kill("SIGKILL");
    const [, signal] = await new Promise<[number | null, string | null]>((resolve) => process_.once("exit", (code, sig) => resolve([code, sig])));
    expect(midWrite).toBe(true);
    expect(signal).toBe("SIGKILL");
    expect(readFileSync(join(dir, "w.json"), "utf8")).toBe(old);
  });
});

describe("the saved run", () => {
  it("holds weights, standardisation, data summary and history", () => {
    const messages: WorkerMessage[] = [];
    runJob(request({ kind: "train", ...example("iris.nnet"), epochs: 3 }), { post: (m) => messages.push(m), shouldStop: () => false });
    const done = messages[messages.length - 1];
    if (done.type !== "done") throw new Error("training failed");
    const dir = workspace({ "iris.json": old });
    saveRun(join(dir, "iris.json"), done.result as JobResult);
    const saved = JSON.parse(readFileSync(join(dir, "iris.json"), "utf8"));
    expect(saved).toMatchObject({ format: "nnet-weights", version: 1, network: "iris", data: { rows: 150, standardised: true } });
    expect(saved.weights.layers.map((l: { name: string }) => l.name)).toEqual(["hidden", "species"]);
    expect(saved.weights.layers[0].W.length).toBe(16);
    expect(saved.weights.layers[0].W[0].length).toBe(4);
    expect(saved.standardiser.mean.length).toBe(4);
    expect(saved.history.length).toBe(3);
    expect(readdirSync(dir)).toEqual(["iris.json"]);
  });

  it("loads back into a network that reproduces the last epoch's validation loss and accuracy exactly", () => {
    const job = request({ kind: "train", ...example("iris.nnet"), epochs: 20 });
    const messages: WorkerMessage[] = [];
    runJob(job, { post: (m) => messages.push(m), shouldStop: () => false });
    const done = messages[messages.length - 1];
    if (done.type !== "done") throw new Error("training failed");
    const dir = workspace();
    saveRun(join(dir, "iris.json"), done.result);
    const saved = JSON.parse(readFileSync(join(dir, "iris.json"), "utf8")) as SavedRun;
    const network = createNetwork(job.network, { seed: 123 });
    importWeights(network, saved.weights);
    const split = splitDataset(irisDataset(), 0.2, job.train.seed);
    const standardiser = { mean: Float64Array.from(saved.standardiser!.mean), std: Float64Array.from(saved.standardiser!.std) };
    const evaluation = evaluateDataset(network, applyStandardiser(split.validation!, standardiser));
    const last = saved.history[saved.history.length - 1];
    expect(evaluation.loss).toBe(last.valLoss);
    expect(evaluation.accuracy).toBe(last.valAccuracy);
  });
});
