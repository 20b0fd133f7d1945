/**
 * The run history over the protocol, against the built server: two runs of a
 * network with different settings are listed newest first with what each was
 * given; an edited file says its runs no longer match; pin, rename and delete
 * stick; and a new server on the same storage (VS Code reopened) lists them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { differenceLine, type DoneParams, type HistoryRun, type JobStarted, type RunsResult } from "../../server/src/protocol/index";
import { open, serverPath, startClient, type TestClient } from "./client";

const network = (lr: number) => `network ring {
  input x: 2
  layer h: dense 8 tanh
  layer out: dense 1 sigmoid
  loss binary_cross_entropy
  data circles(samples: 80)
  train { epochs 40, optimizer sgd(lr: ${lr}), seed 3 }
}
`;

const storage = mkdtempSync(join(tmpdir(), "nnet-runs-"));
const uri = "file:///ring.nnet";
afterAll(() => rmSync(storage, { recursive: true, force: true }));

async function train(client: TestClient, version: number, text: string): Promise<DoneParams> {
  client.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
  const done = new Promise<DoneParams>((resolve) => client.connection.onNotification("nnet/done", (params: DoneParams) => resolve(params)));
  await client.connection.sendRequest<JobStarted>("nnet/train", { uri });
  return done;
}

const runs = async (client: TestClient): Promise<HistoryRun[]> =>
  (await client.connection.sendRequest<RunsResult>("nnet/runs", { uri, network: "ring" })).runs;

describe.skipIf(!existsSync(serverPath))("the run history over nnet/runs and nnet/editRun", () => {
  it("keeps both runs with their settings, says when the text changed, edits them, and outlives the server", async () => {
    const first = await startClient({ initializationOptions: { storagePath: storage } });
    open(first, uri, network(0.1));
    expect((await train(first, 2, network(0.1))).status).toBe("completed");
    expect((await train(first, 3, network(0.3))).status).toBe("completed");
    const listed = await runs(first);
    expect(listed.map((run) => run.settings.lr)).toEqual(["0.3", "0.1"]);
    expect(listed.map((run) => run.matchesText)).toEqual([true, false]);
    expect(listed[0]).toMatchObject({ kind: "train", status: "completed", final: { epoch: 40 } });
    expect(listed[0]!.history).toHaveLength(40);
    expect(listed[0]!.settings).toMatchObject({ optimizer: "sgd", seed: "3", "h units": "8", "h activation": "tanh" });
    expect(differenceLine(listed)).toBe("lr 0.3 vs 0.1");
    await first.connection.sendRequest("nnet/editRun", { id: listed[1]!.id, name: "slow", pinned: true });
    await expect(first.connection.sendRequest("nnet/editRun", { id: "no-such-run", pinned: true })).rejects.toThrow("no run no-such-run");
    await expect(first.connection.sendRequest("nnet/editRun", { id: 3 })).rejects.toThrow("malformed");
    await first.close();
    expect(JSON.parse(readFileSync(join(storage, "runs.json"), "utf8")).runs).toHaveLength(2);

    const second = await startClient({ initializationOptions: { storagePath: storage } });
    open(second, uri, network(0.3));
    const restored = await runs(second);
    expect(restored.map((run) => [run.settings.lr, run.name, run.pinned, run.matchesText])).toEqual([["0.3", undefined, undefined, true], ["0.1", "slow", true, false]]);
    await second.connection.sendRequest("nnet/editRun", { id: restored[0]!.id, remove: true });
    expect((await runs(second)).map((run) => run.name)).toEqual(["slow"]);
    await second.close();
  });
});
