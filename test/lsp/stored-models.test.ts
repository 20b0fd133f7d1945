/**
 * A run's trained model outlives the server, as the editor sees it after a
 * reopen: train a CSV network, save it; a new server on the same storage
 * saves the stored run to the same bytes (only the time of saving differs)
 * from another folder too; deleting the run deletes its model; a store an
 * earlier version wrote (no models) is refused with the reason.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { ExportRequest, SaveModelRequest, type DoneParams, type ExportResult, type HistoryRun, type RunsResult, type SaveModelResult } from "../../server/src/protocol/index";
import { open, serverPath, startClient, type TestClient } from "./client";

const repo = resolve(__dirname, "../..");
const examples = join(repo, "examples");
const dir = mkdtempSync(join(tmpdir(), "nnet-stored-models-"));
const storage = join(dir, "storage");
const source = join(dir, "csv.nnet");
const uri = pathToFileURL(source).href;
const text = readFileSync(join(examples, "csv.nnet"), "utf8");
mkdirSync(join(dir, "data"));
mkdirSync(join(dir, "out", "deeper"), { recursive: true });
copyFileSync(join(examples, "data", "fruit.csv"), join(dir, "data", "fruit.csv"));
writeFileSync(source, text);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function session(): Promise<TestClient> {
  const client = await startClient({ workspaceFolders: [dir], initializationOptions: { storagePath: storage } });
  open(client, uri, text);
  await client.diagnostics(uri);
  return client;
}

const save = (client: TestClient, target: string) =>
  client.connection.sendRequest<SaveModelResult>(SaveModelRequest.method, { uri, network: "fruit", target });
const runs = async (client: TestClient): Promise<HistoryRun[]> =>
  (await client.connection.sendRequest<RunsResult>("nnet/runs", { uri, network: "fruit" })).runs;
const storedModels = (): string[] => (existsSync(join(storage, "models")) ? readdirSync(join(storage, "models")) : []);

/** The file's bytes with its time of saving blanked (an ISO time: the same length in every save). */
const withoutSavedAt = (path: string): string => {
  const bytes = readFileSync(path, "latin1");
  const blanked = bytes.replace(/savedAt\\":\\"[^\\"]+\\"/, "savedAt\\\":\\\"\\\"");
  expect(blanked.length, "one savedAt was blanked").toBeLessThan(bytes.length);
  return blanked;
};

/** The model's description in the file's header, without its time of saving (for a readable difference). */
function described(path: string): Record<string, unknown> {
  const bytes = readFileSync(path);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString("utf8")) as { __metadata__: { model: string } };
  const { savedAt: _savedAt, ...model } = JSON.parse(header.__metadata__.model) as Record<string, unknown>;
  return model;
}

async function refusal(request: Promise<unknown>): Promise<{ message: string; data?: unknown }> {
  try {
    await request;
  } catch (error) {
    return error as { message: string; data?: unknown };
  }
  throw new Error("the request succeeded; a refusal was expected");
}

describe.skipIf(!existsSync(serverPath))("stored runs keep their trained model", () => {
  it("saves a stored run after a restart to the bytes it saved before, and drops its model with the run", async () => {
    const first = await session();
    const done = new Promise<DoneParams>((resolveDone) => first.connection.onNotification("nnet/done", (params: DoneParams) => resolveDone(params)));
    await first.connection.sendRequest("nnet/train", { uri, network: "fruit" });
    expect((await done).status).toBe("completed");
    const before = join(dir, "out", "before.nnetmodel");
    expect(await save(first, before)).toEqual({ path: before, network: "fruit", epochs: 300 });
    const [run] = await runs(first);
    expect(run).toMatchObject({ kind: "train", status: "completed", model: "kept" });
    expect(storedModels()).toEqual([`${run!.id}.nnetmodel`]);
    await first.close();

    const second = await session();
    expect((await runs(second)).map((each) => [each.id, each.model])).toEqual([[run!.id, "kept"]]);
    const after = join(dir, "out", "after.nnetmodel");
    expect(await save(second, after)).toEqual({ path: after, network: "fruit", epochs: 300 });
    expect(readFileSync(after, "latin1")).not.toBe(readFileSync(before, "latin1"));
    expect(described(after)).toEqual(described(before));
    expect(withoutSavedAt(after) === withoutSavedAt(before), "the same bytes but the time of saving").toBe(true);
    // from another folder its CSV path still names the training data: evaluate rebuilds the validation split from it
    const deeper = join(dir, "out", "deeper", "fruit.nnetmodel");
    await save(second, deeper);
    const evaluate = (model: string) => spawnSync(process.execPath, [join(repo, "out", "cli.js"), "evaluate", model, "--json", "--workspace", dir], { encoding: "utf8", cwd: dir });
    const [fromBefore, fromDeeper] = [evaluate(before), evaluate(deeper)];
    expect(fromDeeper.stderr).toBe("");
    expect(fromDeeper.status, fromDeeper.stdout).toBe(0);
    expect(JSON.parse(fromDeeper.stdout)).toEqual(JSON.parse(fromBefore.stdout));
    expect(JSON.parse(fromDeeper.stdout)).toHaveProperty("loss");

    // the exports read the same stored model
    const onnx = join(dir, "out", "fruit.onnx");
    expect(await second.connection.sendRequest<ExportResult>(ExportRequest.method, { uri, network: "fruit", to: "onnx", out: onnx })).toEqual({ out: onnx, files: [onnx] });
    const onnxBefore = join(dir, "out", "before.onnx");
    const cli = spawnSync(process.execPath, [join(repo, "out", "cli.js"), "export", before, "--to", "onnx", "--out", onnxBefore], { encoding: "utf8" });
    expect(cli.status, cli.stderr).toBe(0);
    expect(readFileSync(onnx).equals(readFileSync(onnxBefore)), "the same graph and weights as the model saved before").toBe(true);

    await second.connection.sendRequest("nnet/editRun", { id: run!.id, remove: true });
    expect(storedModels()).toEqual([]);
    const gone = await refusal(save(second, join(dir, "out", "gone.nnetmodel")));
    expect(gone.message).toMatch(/'fruit' has not been trained in this session; train it first/);
    await second.close();
  });

  it("says why a run an earlier version stored cannot be saved", async () => {
    const old: Omit<HistoryRun, "model"> = {
      id: "run-from-before", uri, network: "fruit", kind: "train", status: "completed", startedAt: 1, settings: {}, textHash: "0",
      history: [{ epoch: 1, loss: 0.5, layers: [] }], final: { epoch: 1, loss: 0.5 },
    };
    writeFileSync(join(storage, "runs.json"), JSON.stringify({ version: 1, runs: [old] }));
    const client = await session();
    const error = await refusal(save(client, join(dir, "out", "old.nnetmodel")));
    expect(error.message).toBe("'fruit' has no trained weights to save: the run was stored without its model, by an earlier version; train it again");
    expect(error.data).toEqual({ noRun: true, network: "fruit" });
    expect(existsSync(join(dir, "out", "old.nnetmodel"))).toBe(false);
    await client.close();
  });
});
