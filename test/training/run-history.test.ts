/**
 * The run history's rules: bounded with pinned runs kept, its file read back,
 * a broken file set aside and said, and the trained models kept beside it
 * within their own bound, going with their runs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { modelFromRun, RunHistory, type ModelBuilder } from "../../server/src/training/index";
import { encodeModel } from "../../server/src/model/index";
import { historyRunPoints, storedModelMissing, type HistoryRun } from "../../server/src/protocol/index";
import { bundles, example, request, runToEnd } from "./helpers";

const folder = mkdtempSync(join(tmpdir(), "nnet-history-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const run = (startedAt: number, epochs = 3): Omit<HistoryRun, "id"> => ({
  uri: "file:///a.nnet", network: "n", kind: "train", status: "completed", startedAt, settings: { lr: String(startedAt) }, textHash: "h",
  history: Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, loss: 1 / (i + 1), layers: [] })),
});

describe("the run history", () => {
  it("drops the oldest unpinned run first once past its limit", () => {
    const history = new RunHistory({ limit: 3 });
    const kept = [1, 2, 3].map((t) => history.add(run(t)));
    history.edit({ id: kept[0]!.id, pinned: true });
    history.add(run(4));
    history.add(run(5));
    expect(history.list("file:///a.nnet").map((r) => r.startedAt)).toEqual([5, 4, 1]);
  });

  it("thins a long run to its point limit, keeping the first and last epochs", () => {
    const kept = new RunHistory().add(run(1, 20_000));
    expect(kept.history).toHaveLength(historyRunPoints);
    expect([kept.history[0]!.epoch, kept.history.at(-1)!.epoch]).toEqual([1, 20_000]);
  });

  it("reads its file back, and sets a broken one aside with a message", () => {
    const file = join(folder, "runs.json");
    new RunHistory({ file }).add(run(7));
    expect(new RunHistory({ file }).list("file:///a.nnet").map((r) => r.startedAt)).toEqual([7]);
    writeFileSync(file, JSON.stringify({ runs: [{ id: "x", uri: 5 }] }));
    const warnings: string[] = [];
    const fresh = new RunHistory({ file, warn: (message) => warnings.push(message) });
    expect(fresh.list("file:///a.nnet")).toEqual([]);
    expect(warnings).toEqual([`the run history ${file} could not be read (1 of its 1 runs are malformed); it was moved to ${file}.unreadable and a new history started`]);
    expect(existsSync(`${file}.unreadable`)).toBe(true);
    fresh.add(run(8));
    expect(JSON.parse(readFileSync(file, "utf8")).runs).toHaveLength(1);
  });
});

describe("the trained models kept with the runs", () => {
  /** A real trained xor model, as the store builds it for a path. */
  async function trainedXor(): Promise<ModelBuilder> {
    const xor = example("xor.nnet");
    const job = request({ kind: "train", ...xor });
    const { outcome } = await runToEnd(job, { workerPath: bundles().worker });
    if (outcome.status !== "completed") throw new Error(`xor ended ${outcome.status}`);
    return (target) => modelFromRun({ request: job, result: outcome.result, source: xor, target });
  }

  it("keeps the newest models and the pinned ones, drops a model with its run, and checks the folder when read back", async () => {
    const build = await trainedXor();
    const dir = mkdtempSync(join(folder, "models-"));
    const file = join(dir, "runs.json");
    const models = () => readdirSync(join(dir, "models")).sort();
    const history = new RunHistory({ file, limit: 3, modelLimit: 2 });
    const first = history.add(run(1), build);
    history.edit({ id: first.id, pinned: true });
    const second = history.add(run(2), build);
    const third = history.add(run(3), build);
    const fourth = history.add(run(4), build);
    const listed = () => Object.fromEntries(history.list("file:///a.nnet").map((r) => [r.startedAt, r.model]));
    expect(listed(), "run 2 left the history; run 3's model was the oldest unpinned one past two").toEqual({ 1: "kept", 3: "dropped", 4: "kept" });
    expect(models()).toEqual([`${first.id}.nnetmodel`, `${fourth.id}.nnetmodel`].sort());
    expect(history.model(second.id, join(dir, "x.nnetmodel"))).toBeUndefined();
    expect(storedModelMissing(history.list("file:///a.nnet").find((r) => r.id === third.id)!)).toMatch(/^its model was dropped/);

    const target = join(folder, "elsewhere", "xor.nnetmodel");
    const stored = history.model(fourth.id, target)!;
    const direct = build(target);
    expect(encodeModel({ ...stored, savedAt: direct.savedAt }), "the bytes Save Model writes without the store").toEqual(encodeModel(direct));

    history.edit({ id: first.id, remove: true });
    expect(models()).toEqual([`${fourth.id}.nnetmodel`]);
    unlinkSync(join(dir, "models", `${fourth.id}.nnetmodel`));
    writeFileSync(join(dir, "models", "stray.nnetmodel"), "left by a crash");
    const warnings: string[] = [];
    const reopened = new RunHistory({ file, warn: (message) => warnings.push(message) });
    expect(Object.fromEntries(reopened.list("file:///a.nnet").map((r) => [r.startedAt, r.model]))).toEqual({ 3: "dropped", 4: "dropped" });
    expect(warnings).toEqual([`the model of run ${fourth.id} is missing from ${join(dir, "models", `${fourth.id}.nnetmodel`)}; that run can no longer be saved as a model`]);
    expect(models(), "a file no run names is removed").toEqual([]);

    // a history that cannot be read goes aside with its models, out of the new history's way
    reopened.add(run(5), build);
    writeFileSync(file, "{ not json");
    const said: string[] = [];
    expect(new RunHistory({ file, warn: (message) => said.push(message) }).list("file:///a.nnet")).toEqual([]);
    expect(said[0]).toContain(`it was moved to ${file}.unreadable (its models to ${join(dir, "models")}.unreadable) and a new history started`);
    expect(readdirSync(join(dir, "models.unreadable"))).toHaveLength(1);
    expect(existsSync(join(dir, "models"))).toBe(false);
  });

  it("keeps them in memory for a session without a storage folder", async () => {
    const build = await trainedXor();
    const history = new RunHistory({ modelLimit: 1 });
    const older = history.add(run(1), build);
    const newer = history.add(run(2), build);
    expect(history.model(older.id, "/w/xor.nnetmodel")).toBeUndefined();
    expect(history.model(newer.id, "/w/xor.nnetmodel")?.network.name).toBe("xor");
  });
});
