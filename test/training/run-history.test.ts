/** The run history's rules: bounded with pinned runs kept, its file read back, and a broken file set aside and said. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RunHistory } from "../../server/src/training/index";
import { historyRunPoints, type HistoryRun } from "../../server/src/protocol/index";

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
