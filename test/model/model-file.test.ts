/**
 * The model file: an exact float64 round trip of everything a model holds,
 * readable from Python with the standard library and numpy, and a clear
 * message for every way a file can be broken.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateDataset, splitDataset, applyStandardiser, irisDataset } from "../../server/src/engine/index";
import { decodeModel, encodeModel, ModelFileError, networkOf, type TrainedModel } from "../../server/src/model/index";
import { modelFromRun, readModelFile, runJob, writeModelFile, type JobRequest, type JobResult, type WorkerMessage } from "../../server/src/training/index";
import { example, removeWorkspaces, request, workspace } from "../training/helpers";

afterAll(removeWorkspaces);

function trained(name: string, epochs: number): { job: JobRequest; result: JobResult; text: string; path: string } {
  const source = example(name);
  const job = request({ kind: "train", ...source, epochs });
  const messages: WorkerMessage[] = [];
  runJob(job, { post: (m) => messages.push(m), shouldStop: () => false });
  const done = messages[messages.length - 1];
  if (done.type !== "done") throw new Error(`training failed: ${JSON.stringify(done)}`);
  return { job, result: done.result, ...source };
}

const concat = (chunks: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) out.set(chunk, at), (at += chunk.length);
  return out;
};

function irisModel(): TrainedModel {
  const { job, result, text, path } = trained("iris.nnet", 12);
  return modelFromRun({ request: job, result, source: { path, text }, target: join(workspace(), "iris.nnetmodel") });
}

describe("the model file round trip", () => {
  it("keeps every weight, moment and standardisation bit for bit, and the names, settings and history", () => {
    const model = irisModel();
    const dir = workspace();
    writeModelFile(join(dir, "iris.nnetmodel"), model);
    const back = readModelFile(join(dir, "iris.nnetmodel"));
    expect(back.weights).toEqual(model.weights);
    expect(back.optimizer).toEqual(model.optimizer);
    expect(back.optimizer?.optimizer).toBe("adam");
    expect(back.optimizer?.step).toBeGreaterThan(0);
    expect(back.standardiser).toEqual(model.standardiser);
    expect(back.features).toEqual(["sepal_length", "sepal_width", "petal_length", "petal_width"]);
    expect(back.outputs).toEqual({ kind: "classes", labels: ["setosa", "versicolor", "virginica"] });
    expect(back.history).toEqual(model.history);
    expect(back.train).toEqual(model.train);
    expect(back.network).toEqual(model.network);
    expect(back.epochs).toBe(12);
    expect(back.source?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("rebuilds a network that reproduces the last epoch's validation loss and accuracy exactly", () => {
    const model = irisModel();
    const back = decodeModel(concat(encodeModel(model)));
    const split = splitDataset(irisDataset(), model.train.validation, model.train.seed);
    const evaluation = evaluateDataset(networkOf(back), applyStandardiser(split.validation!, back.standardiser!));
    expect(evaluation.loss).toBe(model.metrics?.valLoss);
    expect(evaluation.accuracy).toBe(model.metrics?.valAccuracy);
  });

  it("round-trips a network with dropout, gelu, silu and l1, and predicts with dropout off", () => {
    const { job, result, text, path } = trained("iris-dropout.nnet", 8);
    const model = modelFromRun({ request: job, result, source: { path, text }, target: join(workspace(), "grown.nnetmodel") });
    const file = join(workspace(), "grown.nnetmodel");
    writeModelFile(file, model);
    const back = readModelFile(file);
    expect(back.network).toEqual(model.network);
    expect(back.network.layers.map((l) => l.kind)).toEqual(["dense", "dropout", "dense", "dense"]);
    expect(back.network.layers[1]).toMatchObject({ kind: "dropout", rate: 0.2, from: "h1" });
    expect(back.train.l1).toBe(1e-4);
    expect(back.weights).toEqual(model.weights);
    // evaluation mode: the saved model reproduces the last validation loss bit for bit, so no unit was dropped
    const split = splitDataset(irisDataset(), model.train.validation, model.train.seed);
    const network = networkOf(back);
    const evaluation = evaluateDataset(network, applyStandardiser(split.validation!, back.standardiser!));
    expect(evaluation.loss).toBe(model.metrics?.valLoss);
    expect(network.dropoutMode).toBe("off");
  });

  it("names a broken dropout layer or an unknown loss in the description", () => {
    const model = irisModel();
    const layers = [...model.network.layers];
    const bad = (network: unknown): TrainedModel => ({ ...model, network: network as TrainedModel["network"] });
    const withDropout = (rate: unknown) => bad({ ...model.network, layers: [layers[0], { kind: "dropout", name: "d", units: layers[0]!.units, from: layers[0]!.name, rate }, { ...layers[1], from: "d" }] });
    expect(() => decodeModel(concat(encodeModel(withDropout(1))))).toThrow("network.layers[1].rate is 1, not a dropout rate in [0, 1)");
    expect(() => decodeModel(concat(encodeModel(withDropout("x"))))).toThrow("network.layers[1].rate is x, not a dropout rate in [0, 1)");
    expect(decodeModel(concat(encodeModel(withDropout(0.5)))).network.layers[1]).toMatchObject({ kind: "dropout", rate: 0.5 });
    expect(() => decodeModel(concat(encodeModel(bad({ ...model.network, loss: "hinge" }))))).toThrow("network.loss is 'hinge', not a loss this nnet knows");
  });

  const python = spawnSync("/usr/bin/python3", ["-c", "import numpy"], { encoding: "utf8" });
  const numpy = python.status === 0;
  if (!numpy) console.warn("python3-numpy is missing (/usr/bin/python3 cannot import numpy): the Python reading recipe is not tested; apt-get install python3-numpy");
  it.skipIf(!numpy)("reads in Python with the standard library and numpy, as docs/model-format.md shows", () => {
    const model = irisModel();
    const file = join(workspace(), "iris.nnetmodel");
    writeModelFile(file, model);
    const recipe = readFileSync(join(__dirname, "../../docs/model-format.md"), "utf8").match(/```python\n([\s\S]*?)```/)![1];
    const script = `${recipe}\nimport sys\nt, m = read_model(sys.argv[1])\nprint(json.dumps({"labels": m["outputs"]["labels"], "hidden": [float(v).hex() for v in t["hidden.weight"].ravel()], "shape": list(t["hidden.weight"].shape), "mean": [float(v).hex() for v in t["input.mean"]]}))\n`;
    const run = spawnSync("/usr/bin/python3", ["-c", script, file], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const read = JSON.parse(run.stdout) as { labels: string[]; hidden: string[]; shape: number[]; mean: string[] };
    expect(read.labels).toEqual(["setosa", "versicolor", "virginica"]);
    const hidden = model.weights.layers.find((l) => l.name === "hidden")!;
    expect(read.shape).toEqual([hidden.units, hidden.fanIn]);
    const hex = (values: Float64Array): string[] => Array.from(values, (v) => pythonHex(v));
    expect(read.hidden).toEqual(hex(hidden.W));
    expect(read.mean).toEqual(hex(model.standardiser!.mean));
  });
});

// Python's float.hex(), so the comparison is of every bit rather than of printed decimals
function pythonHex(value: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0x0.0p+0" : "0x0.0p+0";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? "-" : "";
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const mantissa = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, "0");
  return exponent === 0 ? `${sign}0x0.${mantissa}p-1022` : `${sign}0x1.${mantissa}p${exponent - 1023 >= 0 ? "+" : ""}${exponent - 1023}`;
}

describe("a broken model file", () => {
  const bytes = (): Uint8Array => concat(encodeModel(irisModel()));
  const headerLength = (b: Uint8Array): number => Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
  function withHeader(edit: (header: Record<string, unknown>, description: Record<string, unknown>) => void): Uint8Array {
    const b = bytes();
    const n = headerLength(b);
    const header = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + n)));
    const description = JSON.parse(header.__metadata__.model);
    edit(header, description);
    header.__metadata__.model = JSON.stringify(description);
    let json = JSON.stringify(header);
    json += " ".repeat((8 - (json.length % 8)) % 8);
    const text = new TextEncoder().encode(json);
    const prefix = new Uint8Array(8);
    new DataView(prefix.buffer).setBigUint64(0, BigInt(text.length), true);
    return concat([prefix, text, b.subarray(8 + n)]);
  }
  const cases: [string, () => Uint8Array, RegExp][] = [
    ["an empty file", () => new Uint8Array(0), /truncated: 0 bytes, shorter than the 8-byte header length/],
    ["a file cut inside its header", () => bytes().subarray(0, 100), /truncated: its header needs \d+ bytes, 92 remain/],
    ["a file cut inside its weights", () => { const b = bytes(); return b.subarray(0, b.length - 20); }, /truncated: tensor '[\w.]+' ends at byte \d+/],
    ["bytes after the last tensor", () => concat([bytes(), new Uint8Array(8)]), /8 bytes after the last tensor/],
    ["a text file", () => new TextEncoder().encode("network xor {\n  input x: 2\n}\n"), /not a model file: it does not start with a safetensors header/],
    ["a JSON weights file", () => new TextEncoder().encode(JSON.stringify({ format: "nnet-weights", version: 1 })), /not a model file/],
    ["a safetensors file of another tool", () => withHeader((h) => { h.__metadata__ = { format: "pt" }; }), /not an NNet model: its format is 'pt'/],
    ["a newer format version", () => withHeader((h) => { (h.__metadata__ as Record<string, string>).version = "2"; }), /written by a newer nnet \(format version 2\); this nnet reads version 1/],
    ["float32 weights", () => withHeader((h) => { (h["hidden.bias"] as Record<string, unknown>).dtype = "F32"; }), /tensor 'hidden.bias' is F32; model files hold F64 tensors/],
    ["a missing tensor", () => withHeader((h) => { delete h["species.bias"]; }), /no tensor 'species.bias'|bytes after the last tensor/],
    ["a layer of an unknown kind", () => withHeader((_h, d) => { ((d.network as { layers: { kind: string }[] }).layers[0]).kind = "conv"; }), /network.layers\[0\].kind is 'conv', not dense, dropout, add or concat/],
    ["an edge to a later layer", () => withHeader((_h, d) => { ((d.network as { layers: { from: string }[] }).layers[0]).from = "species"; }), /network.layers\[0\].from names 'species', which is not declared before 'hidden'/],
    ["labels that do not fit the output", () => withHeader((_h, d) => { (d.outputs as { labels: string[] }).labels.pop(); }), /outputs.labels has 2 labels for 3 output units/],
    ["fewer feature names than inputs", () => withHeader((_h, d) => { (d.features as string[]).pop(); }), /features has 3 names; 4 expected/],
  ];
  it.each(cases)("%s is refused with what is wrong", (_name, make, message) => {
    const dir = workspace();
    const file = join(dir, "broken.nnetmodel");
    writeFileSync(file, make());
    expect(() => readModelFile(file)).toThrow(ModelFileError);
    expect(() => readModelFile(file)).toThrow(message);
  });

  it("a NaN weight is refused, naming the tensor", () => {
    const model = irisModel();
    model.weights.layers[1].W[3] = NaN;
    expect(() => decodeModel(concat(encodeModel(model)))).toThrow(/tensor 'species.weight' holds a value that is not a finite number/);
  });
});
