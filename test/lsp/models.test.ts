/**
 * The model requests over stdio, as the editor uses them: train a network
 * from a CSV, save its last run (nnet/saveModel), describe the file
 * (nnet/modelSummary), predict with it (nnet/predict) and export it
 * (nnet/export), with the refusals a user can run into.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ExportRequest, ModelSummaryRequest, PredictRequest, predictRowLimit, SaveModelRequest,
  type DoneParams, type ExportResult, type ModelSummaryResult, type PredictResult, type SaveModelResult,
} from "../../server/src/protocol/index";
import { open, serverPath, startClient, type TestClient } from "./client";

const examples = resolve(__dirname, "../../examples");

/** The error a request was answered with (its message, code and data). */
async function refusal(request: Promise<unknown>): Promise<{ message: string; code: number; data?: unknown }> {
  try {
    await request;
  } catch (error) {
    return error as { message: string; code: number; data?: unknown };
  }
  throw new Error("the request succeeded; a refusal was expected");
}

describe.skipIf(!existsSync(serverPath))("model requests", () => {
  let client: TestClient;
  const dir = mkdtempSync(join(tmpdir(), "nnet-lsp-models-"));
  const source = join(dir, "csv.nnet");
  const uri = pathToFileURL(source).href;
  const target = join(dir, "fruit.nnetmodel");
  const send = <T>(method: string, params: unknown) => client.connection.sendRequest<T>(method, params);

  beforeAll(async () => {
    mkdirSync(join(dir, "data"));
    copyFileSync(join(examples, "data", "fruit.csv"), join(dir, "data", "fruit.csv"));
    writeFileSync(source, readFileSync(join(examples, "csv.nnet"), "utf8"));
    client = await startClient({ workspaceFolders: [dir] });
    open(client, uri, readFileSync(source, "utf8"));
    await client.diagnostics(uri);
  });
  afterAll(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses to save a network that has not been trained, saying so in data the editor can act on", async () => {
    const error = await refusal(send(SaveModelRequest.method, { uri, network: "fruit", target }));
    expect(error.message).toMatch(/'fruit' has not been trained in this session; train it first/);
    expect(error.data).toEqual({ noRun: true, network: "fruit" });
    expect(existsSync(target)).toBe(false);
  });

  it("trains, then saves the last run without retraining", async () => {
    const done = new Promise<DoneParams>((resolveDone) => client.connection.onNotification("nnet/done", (params: DoneParams) => {
      if (params.uri === uri) resolveDone(params);
    }));
    await send("nnet/train", { uri, network: "fruit" });
    expect((await done).status).toBe("completed");
    let trained = 0;
    client.connection.onNotification("nnet/progress", () => trained++);
    const saved = await send<SaveModelResult>(SaveModelRequest.method, { uri, network: "fruit", target });
    expect(saved).toEqual({ path: target, network: "fruit", epochs: 300 });
    expect(trained).toBe(0);
    expect(readFileSync(target).subarray(8, 64).toString()).toContain("__metadata__");
  });

  it("keeps the trained run saveable through a later gradient check", async () => {
    const done = new Promise<DoneParams>((resolveDone) => client.connection.onNotification("nnet/done", (params: DoneParams) => {
      if (params.uri === uri && params.kind === "gradcheck") resolveDone(params);
    }));
    await send("nnet/gradcheck", { uri, network: "fruit" });
    expect((await done).status).toBe("completed");
    const again = join(dir, "again.nnetmodel");
    expect(await send<SaveModelResult>(SaveModelRequest.method, { uri, network: "fruit", target: again })).toMatchObject({ epochs: 300 });
    expect(readFileSync(again).length).toBe(readFileSync(target).length);
    // without a network named, the document's latest trained run
    expect(await send<SaveModelResult>(SaveModelRequest.method, { uri, target: again })).toMatchObject({ network: "fruit", epochs: 300 });
  });

  it("saves a stopped run as of its last whole epoch", async () => {
    const stoppedUri = pathToFileURL(join(dir, "stopped.nnet")).href;
    open(client, stoppedUri, readFileSync(source, "utf8").replace("epochs 300", "epochs 100000"));
    await client.diagnostics(stoppedUri);
    const firstEpoch = new Promise<void>((resolveEpoch) => client.connection.onNotification("nnet/progress", (params: { uri: string }) => {
      if (params.uri === stoppedUri) resolveEpoch();
    }));
    const done = new Promise<DoneParams>((resolveDone) => client.connection.onNotification("nnet/done", (params: DoneParams) => {
      if (params.uri === stoppedUri) resolveDone(params);
    }));
    await send("nnet/train", { uri: stoppedUri, network: "fruit" });
    await firstEpoch;
    await send("nnet/stop", { uri: stoppedUri });
    const stopped = await done;
    expect(stopped.status).toBe("cancelled");
    const last = stopped.history!.at(-1)!.epoch;
    const saved = await send<SaveModelResult>(SaveModelRequest.method, { uri: stoppedUri, network: "fruit", target: join(dir, "stopped.nnetmodel") });
    expect(saved.epochs).toBe(last);
    const model = await send<ModelSummaryResult>(ModelSummaryRequest.method, { path: join(dir, "stopped.nnetmodel") });
    expect(model.history.epochs).toBe(last);
    expect(model.metrics?.loss).toBe(stopped.history!.at(-1)!.loss);
  });

  it("refuses targets that would destroy the source, the data or another file, with the reason", async () => {
    const nnet = await refusal(send(SaveModelRequest.method, { uri, network: "fruit", target: source }));
    expect(nnet.message).toMatch(/csv\.nnet: is the \.nnet source itself/);
    writeFileSync(join(dir, "notes.nnetmodel"), "my notes\n");
    const other = await refusal(send(SaveModelRequest.method, { uri, network: "fruit", target: join(dir, "notes.nnetmodel") }));
    expect(other.message).toMatch(/^cannot save the model: .*notes\.nnetmodel: exists and is not a model file/);
    expect(readFileSync(join(dir, "notes.nnetmodel"), "utf8")).toBe("my notes\n");
    const folder = await refusal(send(SaveModelRequest.method, { uri, network: "fruit", target: join(dir, "missing", "m.nnetmodel") }));
    expect(folder.message).toMatch(/the folder .*missing does not exist/);
  });

  it("answers malformed parameters with InvalidParams", async () => {
    for (const [method, params] of [
      [SaveModelRequest.method, { uri, target: 42 }], [SaveModelRequest.method, { uri, target: "a\0b.nnetmodel" }], [PredictRequest.method, { model: target }],
      [ExportRequest.method, { uri, model: target, to: "onnx", out: "x.onnx" }], [ExportRequest.method, { uri, to: "tflite", out: "x" }], [ModelSummaryRequest.method, {}],
    ] as const) {
      expect((await refusal(send(method, params))).code, `${method} ${JSON.stringify(params)}`).toBe(-32602);
    }
  });

  it("describes the saved model for the viewer: layers, features, classes, settings, metrics, source", async () => {
    const model = await send<ModelSummaryResult>(ModelSummaryRequest.method, { path: target });
    expect(model.summary.layers.map((l) => [l.name, l.kind, l.units, l.params])).toEqual([
      ["measurements", "input", 2, 0], ["hidden", "dense", 8, 24], ["kind", "dense", 3, 27],
    ]);
    expect(model.features).toEqual(["length_dm", "weight_hg"]);
    expect(model.outputs).toEqual({ kind: "classes", names: ["apple", "banana", "cherry"] });
    expect(model.train).toEqual({ optimizer: "adam", lr: 0.02, batch: 8, epochs: 300, seed: 2, validation: 0.2 });
    expect(model.history.epochs).toBe(300);
    expect(model.history.lastLoss!).toBeLessThan(model.history.firstLoss!);
    expect(model.metrics?.accuracy).toBeGreaterThan(0.9);
    expect(model.source).toMatchObject({ file: "csv.nnet", network: "fruit" });
    expect(model.source!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(model.provenance.join("\n")).toMatch(/classes: apple, banana, cherry/);
  });

  it("says clearly when a file is not a model", async () => {
    const error = await refusal(send(ModelSummaryRequest.method, { path: source }));
    expect(error.message).toMatch(/^cannot read the model: .*csv\.nnet: /);
  });

  it("predicts each row of a CSV with the model's class labels", async () => {
    const rows = join(dir, "new.csv");
    writeFileSync(rows, "weight_hg,length_dm\n1.5,0.75\n1.25,1.7\n0.08,0.22\n");
    const result = await send<PredictResult>(PredictRequest.method, { model: target, data: rows });
    expect(result).toMatchObject({ network: "fruit", kind: "classes", columns: ["apple", "banana", "cherry"], omitted: 0 });
    expect(result.rows.map((row) => row.label)).toEqual(["apple", "banana", "cherry"]);
    for (const row of result.rows) {
      expect(row.values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      expect(row.probability).toBe(Math.max(...row.values));
    }
  });

  it("reads every row of a larger CSV a batch at a time, sends the first predictRowLimit and counts the rest", async () => {
    const rows = join(dir, "many.csv");
    const lines = ["weight_hg,length_dm"];
    for (let i = 0; i < predictRowLimit + 2_345; i++) lines.push(i % 2 ? "1.5,0.75" : "0.08,0.22");
    writeFileSync(rows, lines.join("\n") + "\n");
    const result = await send<PredictResult>(PredictRequest.method, { model: target, data: rows });
    expect(result.rows.length).toBe(predictRowLimit);
    expect(result.omitted).toBe(2_345);
    // rows on both sides of a batch boundary are the model's answer for their own cells
    const single = await send<PredictResult>(PredictRequest.method, { model: target, data: join(dir, "new.csv") });
    for (const i of [0, 4095, 4096, 4097, predictRowLimit - 1]) expect(result.rows[i]).toEqual(single.rows[i % 2 ? 0 : 2]);
    lines[predictRowLimit + 2_000] = "heavy,0.75";
    writeFileSync(rows, lines.join("\n") + "\n");
    const error = await refusal(send(PredictRequest.method, { model: target, data: rows }));
    expect(error.message).toBe(`cannot predict: ${rows}: row ${predictRowLimit + 2_001}, column 1 ('weight_hg'): 'heavy' is not a number`);
  });

  it("names the missing column of a CSV that does not fit the model", async () => {
    const rows = join(dir, "wrong.csv");
    writeFileSync(rows, "length_dm,colour\n1,2\n");
    const error = await refusal(send(PredictRequest.method, { model: target, data: rows }));
    expect(error.message).toMatch(/^cannot predict: .*wrong\.csv: no feature column 'weight_hg'/);
  });

  it("exports the last run to ONNX, or says clearly why it cannot", async () => {
    const out = join(dir, "fruit.onnx");
    const answer = await send<ExportResult>(ExportRequest.method, { uri, network: "fruit", to: "onnx", out }).catch((error: Error) => error);
    if (answer instanceof Error) expect(answer.message).toMatch(/^cannot export to ONNX: .+/);
    else {
      expect(answer.files).toEqual([out]);
      expect(existsSync(out)).toBe(true);
    }
    const named = await refusal(send(ExportRequest.method, { uri, network: "fruit", to: "onnx", out: join(dir, "fruit.txt") }));
    expect(named.message).toMatch(/ONNX model files are named NAME\.onnx/);
  });

  it("exports a model file to PyTorch with its training rows, or says clearly why it cannot", async () => {
    const out = join(dir, "fruit-pytorch");
    const answer = await send<ExportResult>(ExportRequest.method, { model: target, to: "pytorch", out }).catch((error: Error) => error);
    if (answer instanceof Error) {
      expect(answer.message).toMatch(/^cannot export to PyTorch: .+/);
      // the model's CSV (kept relative to the model file) was found and read: only the exporter itself may refuse
      expect(answer.message).not.toMatch(/no such file|outside the workspace|data/i);
    } else {
      expect(answer.files.length).toBeGreaterThan(0);
      for (const file of answer.files) expect(existsSync(isAbsolute(file) ? file : join(out, file))).toBe(true);
    }
  });

  it("refuses to export a network without a run, offering to train", async () => {
    const error = await refusal(send(ExportRequest.method, { uri, network: "other", to: "pytorch", out: join(dir, "py") }));
    expect(error.data).toEqual({ noRun: true, network: "other" });
  });
});
