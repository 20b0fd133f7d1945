/**
 * `nnet export --to onnx`, run as the built CLI on trained models; the .onnx
 * files are run with onnxruntime-node and checked with Debian's python3-onnx.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { geluOf, predict, transpose, type Matrix } from "../../server/src/engine/index";
import { ExportError } from "../../server/src/export/index";
import { exportOnnx } from "../../server/src/export/onnx/index";
import { networkOf, type TrainedModel } from "../../server/src/model/index";
import { modelDataset, readModelFile } from "../../server/src/training/index";
import { cliRunner, removeWorkspaces, root, workspace } from "../training/helpers";
import { hasModules, python, PythonProcess } from "./python";

// Debian's python, not the pyenv one on PATH: CI installs python3-onnx for it
const hasOnnx = hasModules("onnx");
const hasTorch = hasModules("torch");
const torchGelu = `
import json, torch
z = torch.tensor([float(v) for v in json.load(open("z.json"))], dtype=torch.float64)
print(json.dumps([repr(v) for v in torch.nn.functional.gelu(z).tolist()]))
`;
/** onnx.checker runs in one Python process for the whole file */
let py: PythonProcess;
let checkerFolder = "";
beforeAll(() => {
  if (hasOnnx || hasTorch) py = new PythonProcess([...(hasOnnx ? ["onnx"] : []), ...(hasTorch ? ["torch"] : [])]);
  if (hasOnnx) checkerFolder = workspace({ "check.py": checkerScript });
});
afterAll(async () => {
  await py?.close();
  removeWorkspaces();
});
if (!hasOnnx) console.warn(`python3-onnx is missing (${python} cannot import onnx): the onnx.checker checks in these tests are skipped; apt-get install python3-onnx`);

const nnet = cliRunner(root);

function ok(result: ReturnType<typeof nnet>): void {
  if (result.code !== 0) throw new Error(`nnet exited ${result.code}: ${result.stderr}`);
}

const activations = `network acts {
  input x: 2
  layer a: dense 8 leaky_relu(alpha: 0.2)
  layer b: dense 8 elu(alpha: 0.5)
  layer c: dense 8 softplus from a
  layer d: dense 8 relu from a
  layer s: add(b, c, d)
  layer out: dense 1 sigmoid from s
  loss binary_cross_entropy
  data moons(samples: 200, noise: 0.1)
  train { optimizer adam(lr: 0.01), epochs 40, batch 16, seed 3 }
}
`;

/** The engine's outputs for raw rows (examples × features), standardised as the model says. */
function engineOutputs(model: TrainedModel, x: Matrix): Matrix {
  const s = model.standardiser;
  const data = x.data.map((v, i) => (s ? (v - s.mean[Math.floor(i / x.cols)]) / s.std[Math.floor(i / x.cols)] : v));
  return predict(networkOf(model), { ...x, data });
}

/** Raw features, one example per column: the model's data, then the same examples pushed 3× further out to reach the activations' tails. */
function rawColumns(model: TrainedModel, path: string): Matrix {
  const x = transpose(modelDataset(model, path).x);
  const data = new Float64Array(x.rows * x.cols * 2);
  for (let r = 0; r < x.rows; r++) {
    for (let c = 0; c < x.cols; c++) {
      data[r * 2 * x.cols + c] = x.data[r * x.cols + c];
      data[r * 2 * x.cols + x.cols + c] = 3 * x.data[r * x.cols + c];
    }
  }
  return { rows: x.rows, cols: x.cols * 2, data };
}

/** The outputs of the model's own rows, without the rows pushed out. */
function firstHalf(m: Matrix): Matrix {
  const cols = m.cols / 2;
  const data = new Float64Array(m.rows * cols);
  for (let r = 0; r < m.rows; r++) data.set(m.data.subarray(r * m.cols, r * m.cols + cols), r * cols);
  return { rows: m.rows, cols, data };
}

async function onnxOutputs(file: string, model: TrainedModel, x: Matrix, dtype: "float32" | "float64"): Promise<Matrix> {
  const session = await InferenceSession.create(file);
  const input = model.network.input.name;
  const output = model.network.layers[model.network.layers.length - 1].name;
  expect(session.inputNames).toEqual([input]);
  expect(session.outputNames).toEqual([output]);
  const rows = new (dtype === "float32" ? Float32Array : Float64Array)(x.rows * x.cols);
  for (let r = 0; r < x.rows; r++) for (let c = 0; c < x.cols; c++) rows[c * x.rows + r] = x.data[r * x.cols + c];
  const result = (await session.run({ [input]: new Tensor(dtype, rows, [x.cols, x.rows]) }))[output];
  const [n, units] = result.dims;
  const values = result.data as Float32Array | Float64Array;
  const data = new Float64Array(units * n);
  for (let i = 0; i < n; i++) for (let u = 0; u < units; u++) data[u * n + i] = values[i * units + u];
  await session.release();
  return { rows: units, cols: n, data };
}

/**
 * How far the .onnx outputs are from the engine's. onnxruntime's float32
 * Sigmoid is an approximation with an absolute error near 1.4e-7 (relative
 * 1e-5 by σ = 0.01, 100% in the far tail), so float32 is held to
 * |a − b| ≤ 1e-5·|b| + 1e-6; float64 to 1e-12·|b| everywhere.
 */
const tolerance = { float32: { rtol: 1e-5, atol: 1e-6 }, float64: { rtol: 1e-12, atol: 0 } };

interface Difference { worst: number; relative: number; relativeAbove: number; absolute: number }
function difference(onnx: Matrix, engine: Matrix, dtype: "float32" | "float64"): Difference {
  expect([onnx.rows, onnx.cols]).toEqual([engine.rows, engine.cols]);
  const { rtol, atol } = tolerance[dtype];
  const d = { worst: 0, relative: 0, relativeAbove: 0, absolute: 0 };
  for (let i = 0; i < engine.data.length; i++) {
    const abs = Math.abs(onnx.data[i] - engine.data[i]);
    const size = Math.abs(engine.data[i]);
    d.worst = Math.max(d.worst, abs === 0 ? 0 : abs / (rtol * size + atol));
    d.absolute = Math.max(d.absolute, abs);
    d.relative = Math.max(d.relative, abs === 0 ? 0 : abs / size);
    if (size >= 0.01) d.relativeAbove = Math.max(d.relativeAbove, abs / size);
  }
  return d;
}

interface Checked { ir_version: number; opset: number[][]; producer: string; inputs: [string, (string | number)[], number][]; outputs: [string, (string | number)[], number][]; meta: Record<string, string> }

const checkerScript = `
import json, sys, onnx
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
shape = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
io = lambda vs: [[v.name, shape(v), v.type.tensor_type.elem_type] for v in vs]
print(json.dumps({"ir_version": m.ir_version, "opset": [[o.domain, o.version] for o in m.opset_import], "producer": m.producer_name,
  "inputs": io(m.graph.input), "outputs": io(m.graph.output), "meta": {p.key: p.value for p in m.metadata_props}}))
`;

async function onnxChecker(file: string): Promise<Checked> {
  const result = await py.run(checkerFolder, "check.py", [file]);
  if (result.status !== 0) throw new Error(`onnx.checker refused ${file}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Checked;
}

// silu, selu and dropout (the identity in the inference graph) have both float32 and float64 forms
const grown = `network grown {
  input x: 2
  layer a: dense 8 silu
  layer d: dropout 0.3
  layer b: dense 8 selu
  layer s: add(a, b)
  layer out: dense 1 sigmoid from s
  loss binary_cross_entropy
  data moons(samples: 200, noise: 0.1)
  train { optimizer adam(lr: 0.01), epochs 40, batch 16, seed 3, l1 0.0001 }
}
`;

const cases: { name: string; source: () => string }[] = [
  { name: "grown", source: () => join(workspace({ "grown.nnet": grown }), "grown.nnet") },
  { name: "iris", source: () => join(root, "examples/iris.nnet") },
  { name: "spiral", source: () => join(root, "examples/spiral.nnet") },
  { name: "residual", source: () => join(root, "examples/residual.nnet") },
  { name: "sine", source: () => join(root, "examples/sine.nnet") },
  { name: "acts", source: () => join(workspace({ "acts.nnet": activations }), "acts.nnet") },
];

const measured: string[] = [];
afterAll(() => { if (measured.length) console.info(`ONNX against the engine, largest differences (the model's rows and the rows ×3):\n${measured.join("\n")}`); });

describe("nnet export --to onnx", () => {
  for (const { name, source } of cases) {
    it(`${name}: the .onnx computes the engine's outputs from raw features, float32 and float64`, async () => {
      const dir = workspace();
      const model = join(dir, `${name}.nnetmodel`);
      ok(nnet("train", "--epochs", "40", "--save", model, source()));
      const trained = readModelFile(model);
      const x = rawColumns(trained, model);
      const engine = engineOutputs(trained, x);
      const differences: string[] = [];
      for (const dtype of ["float32", "float64"] as const) {
        const file = join(dir, `${name}-${dtype}.onnx`);
        const result = nnet("export", model, "--to", "onnx", "--out", file, ...(dtype === "float64" ? ["--dtype", "float64"] : []));
        ok(result);
        expect(result.stdout).toBe(`wrote ${file}\n`);
        const outputs = await onnxOutputs(file, trained, x, dtype);
        const d = difference(outputs, engine, dtype);
        const own = difference(firstHalf(outputs), firstHalf(engine), dtype);
        const figures = (f: Difference): string => `relative ${f.relative.toExponential(1)} (${f.relativeAbove.toExponential(1)} where ≥ 0.01), absolute ${f.absolute.toExponential(1)}`;
        differences.push(`    ${dtype}: all rows ${figures(d)}; own rows ${figures(own)}`);
        expect(d.worst).toBeLessThanOrEqual(1);
        if (!hasOnnx) continue;
        const checked = await onnxChecker(file);
        const out = trained.network.layers[trained.network.layers.length - 1];
        const elem = dtype === "float32" ? 1 : 11;
        expect(checked).toMatchObject({
          ir_version: 8, opset: [["", 17]], producer: "nnet",
          inputs: [[trained.network.input.name, ["N", trained.network.input.units], elem]],
          outputs: [[out.name, ["N", out.units], elem]],
        });
        expect(JSON.parse(checked.meta["nnet.features"])).toEqual(trained.features);
        const named = trained.outputs;
        if (named.kind === "classes") expect(JSON.parse(checked.meta["nnet.labels"])).toEqual(named.labels);
        else expect(JSON.parse(checked.meta["nnet.values"])).toEqual(named.names);
      }
      measured.push(`  ${name} (${x.cols} rows):\n${differences.join("\n")}`);
    });
  }

  it("iris-dropout: gelu's exact form in float32 (Erf) and float64 (Φ composed of basic ops), dropout omitted", async () => {
    const dir = workspace();
    const model = join(dir, "grown.nnetmodel");
    ok(nnet("train", "--epochs", "40", "--save", model, "examples/iris-dropout.nnet"));
    const trained = readModelFile(model);
    const x = rawColumns(trained, model);
    const engine = engineOutputs(trained, x);
    for (const dtype of ["float32", "float64"] as const) {
      const file = join(dir, `grown-${dtype}.onnx`);
      ok(nnet("export", model, "--to", "onnx", "--out", file, "--dtype", dtype));
      const d = difference(await onnxOutputs(file, trained, x, dtype), engine, dtype);
      measured.push(`  iris-dropout (${x.cols} rows, ${dtype}): relative ${d.relative.toExponential(1)}, absolute ${d.absolute.toExponential(1)}`);
      expect(d.worst).toBeLessThanOrEqual(1);
      if (hasOnnx) await onnxChecker(file);
    }
  });

  it("float64 gelu: the .onnx's Φ equals the engine's erf to 1e-14 relative on a grid from −40 to 1e6, and torch's gelu", async () => {
    const dir = workspace({ "g.nnet": "network g {\n  input z: 1\n  layer out: dense 1 gelu\n  loss mse\n  data sine(samples: 8)\n}\n" });
    const model = join(dir, "g.nnetmodel");
    ok(nnet("train", "--epochs", "1", "--save", model, join(dir, "g.nnet")));
    const trained = readModelFile(model);
    // W = 1, b = 0 and no standardisation: the graph's output is gelu(z) itself
    const unit: TrainedModel = { ...trained, standardiser: undefined, weights: { ...trained.weights, layers: trained.weights.layers.map((l) => ({ ...l, W: Float64Array.of(1), b: Float64Array.of(0) })) } };
    const file = join(dir, "g.onnx");
    exportOnnx(unit, file, { dtype: "float64" });
    const grid: number[] = [0, -0, 1e-300, -1e-300, 5e-324, 1e-8, -1e-8, 1e6, 1e3, 39, -39.9, -38.5];
    for (let z = -40; z <= 12; z += 1 / 64) grid.push(z);
    // each side of the switches between expansions: x = |z|/√2 at 1 and 27.3
    for (const edge of [Math.SQRT2, 27.3 * Math.SQRT2]) for (let k = -4; k <= 4; k++) grid.push(edge * (1 + k * 2 ** -52), -edge * (1 + k * 2 ** -52));
    const z: Matrix = { rows: 1, cols: grid.length, data: Float64Array.from(grid) };
    const onnxGelu = (await onnxOutputs(file, unit, z, "float64")).data;
    let worst = 0;
    for (let i = 0; i < grid.length; i++) {
      const engineGelu = geluOf(grid[i]);
      // below the normal range (about −38.4 and 1e-300 here) both round to subnormals alike only absolutely
      const error = Math.abs(onnxGelu[i] - engineGelu) / Math.max(Math.abs(engineGelu), 1e-290);
      if (!(error <= 1e-14)) throw new Error(`gelu(${grid[i]}): onnx ${onnxGelu[i]}, engine ${engineGelu}`);
      worst = Math.max(worst, error);
    }
    measured.push(`  float64 gelu against the engine, ${grid.length} points: relative ${worst.toExponential(1)}`);
    if (!hasTorch) return;
    const torch = JSON.parse(await py.stdout(workspace({ "gelu.py": torchGelu, "z.json": JSON.stringify(grid.map(String)) }), "gelu.py")) as string[];
    let torchWorst = 0;
    for (let i = 0; i < grid.length; i++) {
      // torch forms ½z(1 + erf(z/√2)), exact to about 1e-16·|z| absolutely, not relatively in the lower tail
      const error = Math.abs(onnxGelu[i] - Number(torch[i])) / (1e-14 * Math.abs(Number(torch[i])) + 1e-16 * Math.max(1, Math.abs(grid[i])));
      if (!(error <= 1)) throw new Error(`gelu(${grid[i]}): onnx ${onnxGelu[i]}, torch ${torch[i]}`);
      torchWorst = Math.max(torchWorst, error);
    }
    measured.push(`  float64 gelu against torch: ${torchWorst.toExponential(1)} of the bound 1e-14·|gelu| + 1e-16·max(1, |z|)`);
  });

  it("iris: the graph standardises inside and carries the class labels", async () => {
    const dir = workspace();
    const model = join(dir, "iris.nnetmodel");
    ok(nnet("train", "--epochs", "5", "--save", model, "examples/iris.nnet"));
    const file = join(dir, "iris.onnx");
    ok(nnet("export", model, "--to", "onnx", "--out", file));
    const trained = readModelFile(model);
    expect(trained.standardiser).toBeDefined();
    const session = await InferenceSession.create(file);
    const result = await session.run({ measurements: new Tensor("float32", Float32Array.from([5.1, 3.5, 1.4, 0.2]), [1, 4]) });
    const engine = engineOutputs(trained, { rows: 4, cols: 1, data: Float64Array.from([5.1, 3.5, 1.4, 0.2]) });
    expect(difference({ rows: 3, cols: 1, data: Float64Array.from(result.species.data as Float32Array) }, engine, "float32").worst).toBeLessThanOrEqual(1);
    await session.release();
    if (!hasOnnx) return;
    expect(JSON.parse((await onnxChecker(file)).meta["nnet.labels"])).toEqual(["setosa", "versicolor", "virginica"]);
  });

  it("exports a .nnet file's initial network, and replaces an .onnx file it wrote before", async () => {
    const dir = workspace();
    const file = join(dir, "xor.onnx");
    ok(nnet("export", "examples/xor.nnet", "--to", "onnx", "--out", file));
    const first = readFileSync(file);
    ok(nnet("export", "examples/xor.nnet", "--to", "onnx", "--out", file, "--dtype", "float64"));
    expect(readFileSync(file).equals(first)).toBe(false);
    const session = await InferenceSession.create(file);
    const result = await session.run({ x: new Tensor("float64", Float64Array.from([0, 1]), [1, 2]) });
    expect(result.out.dims).toEqual([1, 1]);
    await session.release();
    if (hasOnnx) await onnxChecker(file);
  });

  it("refuses an --out that is not .onnx, or an existing file that is not an ONNX model, and leaves it as it was", () => {
    const dir = workspace({ "notes.onnx": "my notes, not a model\n", "weights.bin": "x" });
    const wrong = nnet("export", "examples/xor.nnet", "--to", "onnx", "--out", join(dir, "model.bin"));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("ONNX model files are named NAME.onnx");
    expect(existsSync(join(dir, "model.bin"))).toBe(false);
    const notes = join(dir, "notes.onnx");
    const unrelated = nnet("export", "examples/xor.nnet", "--to", "onnx", "--out", notes);
    expect(unrelated.code).toBe(1);
    expect(unrelated.stderr).toContain("exists and is not an ONNX model file; it is left as it is");
    expect(readFileSync(notes, "utf8")).toBe("my notes, not a model\n");
    const folder = nnet("export", "examples/xor.nnet", "--to", "onnx", "--out", join(dir, "missing/m.onnx"));
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain("does not exist");
    const dtype = nnet("export", "examples/xor.nnet", "--to", "onnx", "--out", join(dir, "m.onnx"), "--dtype", "float16");
    expect(dtype.code).toBe(2);
    expect(dtype.stderr).toContain("the types are float32 and float64");
  });

  it("refuses a layer kind or activation ONNX is not given a form for, or a weight float32 cannot hold, writing nothing", () => {
    const dir = workspace();
    const model = join(dir, "xor.nnetmodel");
    ok(nnet("train", "--epochs", "2", "--save", model, "examples/xor.nnet"));
    const trained = readModelFile(model);
    const out = join(dir, "xor.onnx");
    const conv = { ...trained, network: { ...trained.network, layers: [...trained.network.layers, { kind: "conv", name: "c", units: 1, from: "out" } as never] } };
    expect(() => exportOnnx(conv, out)).toThrow(ExportError);
    expect(() => exportOnnx(conv, out)).toThrow("layer 'c': a conv layer has no ONNX form");
    const layers = trained.network.layers.map((l) => (l.kind === "dense" && l.name === "out" ? { ...l, activation: { name: "mish" } as never } : l));
    expect(() => exportOnnx({ ...trained, network: { ...trained.network, layers } }, out)).toThrow("layer 'out': the activation 'mish' has no ONNX form");
    expect(existsSync(out)).toBe(false);
    const huge = { ...trained, weights: { ...trained.weights, layers: trained.weights.layers.map((l, i) => (i === 0 ? { ...l, W: l.W.map((w, j) => (j === 1 ? 1e39 : w)) } : l)) } };
    expect(() => exportOnnx(huge, out)).toThrow(`${trained.weights.layers[0].name}.W[1] = 1e+39 does not fit in float32 (export with --dtype float64)`);
    expect(existsSync(out)).toBe(false);
    exportOnnx(huge, out, { dtype: "float64" });
    expect(existsSync(out)).toBe(true);
    const keep = join(dir, "keep.onnx");
    exportOnnx(trained, keep);
    const before = readFileSync(keep);
    expect(() => exportOnnx(conv, keep)).toThrow("a conv layer has no ONNX form");
    expect(readFileSync(keep).equals(before)).toBe(true);
  });
});
