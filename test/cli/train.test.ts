/**
 * `nnet train`, `nnet gradcheck` and `nnet demo`, run as the built CLI in a
 * child process (bundled once for the run by test/bundles.setup.ts with the
 * options of scripts/build.mjs, its worker beside it).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readModelFile } from "../../server/src/training/index";
import { bundles, cliRunner, once, root, workspace, removeWorkspaces } from "../training/helpers";
import { independentGradients, type GradcheckJson } from "./train-gradients";

const { cli } = bundles();
const nnet = cliRunner(root);
afterAll(removeWorkspaces);

const jsonLines = (text: string): Record<string, unknown>[] => text.trim().split("\n").map((line) => JSON.parse(line));

describe("nnet train", () => {
  it("--json prints one epoch event per line, then done", () => {
    const result = nnet("train", "--json", "examples/xor.nnet");
    expect(result.code).toBe(0);
    const events = jsonLines(result.stdout);
    expect(events.length).toBe(501);
    expect(Object.keys(events[0]).sort()).toEqual(["accuracy", "epoch", "event", "gradNorms", "loss", "lr", "valAccuracy", "valLoss"].sort());
    expect(events[0]).toMatchObject({ event: "epoch", epoch: 1, valLoss: null, lr: 0.05 });
    expect(Object.keys(events[0].gradNorms as object)).toEqual(["hidden", "out"]);
    expect(events[500]).toMatchObject({ event: "done", status: "completed", network: "xor", epochs: 500, accuracy: 1 });
  });

  it("prints plain progress lines when not on a terminal, and --epochs/--seed override the file", () => {
    const result = nnet("train", "--epochs", "40", "--seed", "9", "examples/spiral.nnet");
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("\r");
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^epoch  1\/40  loss \d\.\d+  accuracy \d+\.\d%  val loss \d\.\d+  val accuracy \d+\.\d%$/);
    const trained = lines.findIndex((line) => /^trained spiral: epoch 40\/40 /.test(line));
    expect(trained).toBeGreaterThan(0);
    // then the run's metrics, the closing table
    expect(lines.slice(trained + 1, trained + 4)).toEqual(["", "metrics on the validation split:", expect.stringMatching(/^accuracy \d+\.\d%  macro F1 \d\.\d{3}$/)]);
    expect(lines[lines.length - 1]).toMatch(/^1\s+\d+\s+\d+$/);
  });

  it("draws a \\r-updated bar on a terminal", () => {
    const result = spawnSync("script", ["-qec", `${process.execPath} ${cli} train --epochs 30 examples/xor.nnet`, "/dev/null"], { cwd: root, encoding: "utf8" });
    if (result.error) return console.warn(`terminal test skipped: ${result.error.message}`);
    expect(result.stdout).toMatch(/\r\[#+\.*\] epoch +\d+\/30 +loss/);
    expect(result.stdout).toContain("trained xor");
  });

  // 256-wide layers at batch 64: the hidden products are large enough to be split among threads
  const wide = `network wide {
  input x: 2
  layer h1: dense 256 relu
  layer h2: dense 256 relu
  layer out: dense 1 sigmoid
  loss binary_cross_entropy
  data spiral(samples: 256, noise: 0.1)
  train {
    optimizer sgd(lr: 0.05)
    epochs 3
    batch 64
    validation 0
    seed 3
  }
  gradcheck { epsilon 1e-6, tolerance 1e-5 }
}
`;

  function trainedWeights(dir: string, name: string, args: string[], env: Record<string, string> = {}) {
    const path = join(dir, `${name}.nnetmodel`);
    const result = spawnSync(process.execPath, [cli, "train", join(dir, "wide.nnet"), "--save", path, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
    // on a machine with fewer cores than a test's threads, the only thing said is that they are more than the cores
    expect(result.stderr.replace(oversubscribed, "")).toBe("");
    expect(result.status).toBe(0);
    return readModelFile(path).weights.layers;
  }
  const oversubscribed = /^nnet: warning: --threads \d+ is more than the \d+ cores? this process may use; the extra threads wait for a core, so training is slower than with --threads \d+\n/;

  it("more --threads than cores train to the same weights, saying that fewer would be faster", () => {
    const dir = workspace({ "wide.nnet": wide });
    // on one core (taskset), 3 threads: their waits sleep rather than poll
    const many = spawnSync("taskset", ["-c", "0", process.execPath, cli, "train", join(dir, "wide.nnet"), "--threads", "3", "--save", join(dir, "many.nnetmodel")], { cwd: root, encoding: "utf8" });
    if (many.error) return console.warn(`one-core test skipped: ${many.error.message}`);
    expect(many.stderr).toBe("nnet: warning: --threads 3 is more than the 1 core this process may use; the extra threads wait for a core, so training is slower than with --threads 1\n");
    expect(many.status).toBe(0);
    expect(readModelFile(join(dir, "many.nnetmodel")).weights.layers).toEqual(trainedWeights(dir, "one", ["--threads", "1"]));
  });

  it("--threads 1 and 2 train to the same weights bit for bit; the plain SIMD kernel gives the JavaScript kernel's bits and fused multiply-add is within rounding of them", () => {
    const dir = workspace({ "wide.nnet": wide });
    const one = trainedWeights(dir, "one", ["--threads", "1"]);
    const two = trainedWeights(dir, "two", ["--threads", "2"]);
    expect(two).toEqual(one);
    const js = trainedWeights(dir, "js", [], { NNET_KERNEL: "js-tiled" });
    const simd = trainedWeights(dir, "simd", ["--threads", "2"], { NNET_KERNEL: "wasm-simd-4x4" });
    expect(simd).toEqual(js);
    // the default is fused multiply-add: each step rounds once, so the weights move in the last bits only
    expect(one).not.toEqual(js);
    one.forEach((layer, l) => layer.W.forEach((w, i) => expect(Math.abs(w - js[l].W[i])).toBeLessThan(1e-9 * (1 + Math.abs(w)))));
  });

  it("refuses --threads that is not an integer ≥ 1 and an unknown NNET_KERNEL, saying what to give", () => {
    const dir = workspace({ "wide.nnet": wide });
    for (const bad of ["0", "-2", "1.5", "two"]) {
      const result = nnet("train", join(dir, "wide.nnet"), "--threads", bad);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--threads needs an integer ≥ 1, got '${bad}'`);
    }
    const unknown = spawnSync(process.execPath, [cli, "train", join(dir, "wide.nnet")], { cwd: root, encoding: "utf8", env: { ...process.env, NNET_KERNEL: "avx" } });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("unknown kernel 'avx' (NNET_KERNEL): use one of wasm-fma-4x4, wasm-simd-4x4, js-tiled");
  });

  it("a multiply thread that exits or throws ends the run with a message and status 1, not a hang", () => {
    const dir = workspace({ "wide.nnet": wide });
    for (const [fault, why] of [["exit", "it exited with code 3"], ["throw", "a fault made for a test"]]) {
      const result = spawnSync(process.execPath, [cli, "train", join(dir, "wide.nnet"), "--threads", "2", "--save", join(dir, `${fault}.nnetmodel`)], {
        cwd: root, encoding: "utf8", env: { ...process.env, NNET_TEST_MULTIPLY_THREAD: fault },
      });
      expect(result.stderr).toContain(`a multiply thread stopped: ${why}`);
      expect(result.status).toBe(1);
      expect(existsSync(join(dir, `${fault}.nnetmodel`))).toBe(false);
    }
  });

  it("the gradient check passes on threads with fused multiply-add", () => {
    const dir = workspace({ "wide.nnet": wide });
    // the report lists every weight: more than spawnSync's default buffer
    const result = spawnSync(process.execPath, [cli, "gradcheck", "--json", join(dir, "wide.nnet")], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { passed: boolean }).passed).toBe(true);
  });

  it("--save writes a model file; a missing folder, a folder or another extension is a usage error before training", () => {
    const dir = workspace();
    const path = join(dir, "xor.nnetmodel");
    const result = nnet("train", "--save", path, "examples/xor.nnet");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`saved the model to ${path}`);
    const model = readModelFile(path);
    expect(model.network.name).toBe("xor");
    expect(model.history.length).toBe(500);
    const missing = nnet("train", "--save", join(dir, "no/such/folder/w.nnetmodel"), "examples/xor.nnet");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does not exist");
    const folder = nnet("train", "--save", join(dir, "f.nnetmodel/.."), "examples/xor.nnet");
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain("model files are named NAME.nnetmodel");
    expect(nnet("train", "--epochs", "0x10", "examples/xor.nnet").code).toBe(2);
  });

  it("refuses a file with errors with FILE:LINE:COL and exit 1; usage errors exit 2", () => {
    const bad = nnet("train", "test/language/fixtures/unknown-activation.nnet");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("test/language/fixtures/unknown-activation.nnet:3:20: error nnet/unknown-activation");
    const json = nnet("train", "--json", "test/language/fixtures/unknown-activation.nnet");
    expect(jsonLines(json.stdout)[0]).toMatchObject({ event: "error" });
    expect(nnet("train", "--network", "nope", "examples/xor.nnet").code).toBe(2);
    expect(nnet("train", "--epochs", "many", "examples/xor.nnet").code).toBe(2);
    expect(nnet("train").code).toBe(2);
    expect(nnet("train", "missing.nnet").code).toBe(2);
    const noData = nnet("train", "test/language/fixtures/missing-data.nnet");
    expect(noData.code).toBe(1);
    expect(noData.stderr).toContain("nnet/missing-data");
  });

  it("prints the network's warnings to stderr and trains anyway", () => {
    const dir = workspace({ "w.nnet": "network w {\n  input x: 2\n  layer out: dense 1 sigmoid\n  loss mse\n  data xor\n  train { epochs 2 }\n}\n" });
    const result = nnet("train", join(dir, "w.nnet"));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/w\.nnet:4:8: warning nnet\/mse-on-saturating-output: /);
    expect(result.stdout).toContain("trained w");
  });

  it("--json reports a multi-label output's accuracy per label decision, not by argmax", () => {
    // W ≈ 0 and b = 0: every a is 0.5, so every decision is "yes" before the one full-batch update;
    // 8 of the 12 labels are 1 (2/3), where argmax, always unit 0, would be right on 2 of 4 rows
    const text = `network tags {
  input x: 1
  layer out: dense 3 sigmoid init normal(std: 1e-300)
  loss bce
  data { 0 -> 1 1 0 ; 1 -> 0 1 1 ; 2 -> 0 0 1 ; 3 -> 1 1 1 }
  train { epochs 1, batch full, optimizer sgd(lr: 0.001) }
}
`;
    const dir = workspace({ "tags.nnet": text });
    const result = nnet("train", "--json", join(dir, "tags.nnet"));
    expect(result.code).toBe(0);
    const [epoch, done] = jsonLines(result.stdout);
    expect(epoch!.accuracy).toBeCloseTo(2 / 3, 15);
    expect(done).toMatchObject({ event: "done", status: "completed" });
    expect(done!.accuracy).toBeCloseTo(2 / 3, 15);
  });

  it("reports divergence as an error event naming the epoch and layer, exit 1", () => {
    const dir = workspace({ "div.nnet": readFileSync(join(root, "examples/sine.nnet"), "utf8").replace("adam(lr: 0.01)", "sgd(lr: 1e3)") });
    const result = nnet("train", "--json", join(dir, "div.nnet"));
    expect(result.code).toBe(1);
    const events = jsonLines(result.stdout);
    const error = events[events.length - 1];
    expect(error).toMatchObject({ event: "error" });
    expect(error.message).toMatch(/training diverged in epoch \d+: layer '\w+'/);
    expect(typeof error.epoch).toBe("number");
    expect(typeof error.layer).toBe("string");
  });

  it("names l2 as the likely cause when l2 1e300 makes the run diverge, not the learning rate", () => {
    const dir = workspace({ "l2.nnet": readFileSync(join(root, "examples/sine.nnet"), "utf8").replace("adam(lr: 0.01)", "sgd(lr: 0.1)").replace("seed 5", "seed 5\n    l2 1e300") });
    const result = nnet("train", "--json", join(dir, "l2.nnet"));
    expect(result.code).toBe(1);
    const events = jsonLines(result.stdout);
    const error = events[events.length - 1]!;
    expect(error).toMatchObject({ event: "error", epoch: 1 });
    expect(error.message).toMatch(/^training diverged in epoch 1: layer '\w+' has non-finite \w+ \(NaN or Infinity\); l2 1e300 is too large for lr 0\.1: each step scales W by 1 − lr·l2 = -1e299, so W grows instead of decaying; use l2 below 20 \(usually 1e-4 to 1e-2\)$/);
  });

  it("refuses a CSV outside the workspace", () => {
    const dir = workspace({ "m.nnet": readFileSync(join(root, "examples/csv.nnet"), "utf8").replace("data/fruit.csv", "../../../../../../etc/passwd") });
    const result = nnet("train", join(dir, "m.nnet"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("outside the workspace");
  });

  it("stops cleanly on Ctrl-C (SIGINT), reporting the epochs done", async () => {
    const dir = workspace({ "slow.nnet": readFileSync(join(root, "examples/spiral.nnet"), "utf8").replace("epochs 300", "epochs 100000") });
    const child = spawn(process.execPath, [cli, "train", "--json", join(dir, "slow.nnet")], { cwd: root });
    let stdout = "";
    let interrupted = false;
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (!interrupted && stdout.includes('"epoch":3,')) interrupted = child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    const events = jsonLines(stdout);
    const last = events[events.length - 1];
    expect(last).toMatchObject({ event: "done", status: "cancelled" });
    expect(last.epochs).toBeGreaterThanOrEqual(3);
    expect(code).toBe(1);
  });
});

describe("nnet gradcheck", () => {
  it("prints a PASS row per layer and parameter, exit 0", () => {
    const result = nnet("gradcheck", "examples/residual.nnet");
    expect(result.code).toBe(0);
    const rows = result.stdout.split("\n").filter((line) => /^(h1|h2|h3|out) +(W|b) /.test(line));
    expect(rows.length).toBe(8);
    for (const row of rows) expect(row).toMatch(/ PASS$/);
    expect(result.stdout).toContain("all layers PASS");
  });

  it("fails rows and exits 1 when the check cannot pass (ε = 0.5 makes the central difference inexact)", () => {
    const dir = workspace({ "m.nnet": readFileSync(join(root, "examples/spiral.nnet"), "utf8").replace("epsilon 1e-7", "epsilon 0.5") });
    const result = nnet("gradcheck", join(dir, "m.nnet"));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/ FAIL$/m);
    expect(result.stdout).toMatch(/\d+ FAIL$/m);
  });

  // the negative control below reuses the spiral's check rather than running it again
  const spiral = once(() => nnet("gradcheck", "--json", "examples/spiral.nnet"));
  for (const name of ["spiral.nnet", "iris.nnet", "residual.nnet", "sine.nnet", "iris-dropout.nnet"]) {
    it(`--json for ${name} holds enough to recompute the gradients independently (TensorFlow.js)`, async () => {
      const result = name === "spiral.nnet" ? spiral() : nnet("gradcheck", "--json", `examples/${name}`);
      expect(result.code).toBe(0);
      const json = JSON.parse(result.stdout) as GradcheckJson;
      expect(json.passed).toBe(true);
      const recomputed = await independentGradients(json);
      for (const analytic of json.analytic) {
        const theirs = recomputed.get(`${analytic.layer}.${analytic.param}`)!;
        const scale = Math.max(...analytic.values.map(Math.abs), 1e-12);
        expect(theirs.length).toBe(analytic.values.length);
        // float32 against float64: agreement to about 1e-4 of the parameter's largest gradient
        analytic.values.forEach((value, i) => expect(Math.abs(value - theirs[i])).toBeLessThan(1e-4 * scale + 1e-4 * Math.abs(value)));
      }
      for (const numeric of json.numeric) {
        const analytic = json.analytic.find((a) => a.layer === numeric.layer && a.param === numeric.param)!;
        numeric.values.forEach((value, i) => {
          if (value !== null) expect(Math.abs(value - analytic.values[i])).toBeLessThan(1e-6 * Math.max(1, Math.abs(value)));
        });
      }
    });
  }

  it("--json for mae and huber regressions with selu, silu and dropout recomputes independently (TensorFlow.js)", async () => {
    for (const loss of ["mae", "huber(delta: 0.3)"]) {
      const dir = workspace({ "r.nnet": `network r {
  input x: 1
  layer h1: dense 8 selu
  layer d: dropout 0.5
  layer h2: dense 8 silu
  layer out: dense 1
  loss ${loss}
  data sine(samples: 64, noise: 0.1)
  gradcheck { samples 8 }
}
` });
      const result = nnet("gradcheck", "--json", join(dir, "r.nnet"));
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const json = JSON.parse(result.stdout) as GradcheckJson;
      expect(json.masks?.d?.flat()).toContain(0);
      const recomputed = await independentGradients(json);
      for (const analytic of json.analytic) {
        const theirs = recomputed.get(`${analytic.layer}.${analytic.param}`)!;
        const scale = Math.max(...analytic.values.map(Math.abs), 1e-12);
        analytic.values.forEach((value, i) => expect(Math.abs(value - theirs[i]!), `${loss} ${analytic.layer}.${analytic.param}[${i}]`).toBeLessThan(1e-4 * scale + 1e-4 * Math.abs(value)));
      }
    }
  });

  it("the independent recomputation notices a wrong network (negative control)", async () => {
    const json = JSON.parse(spiral().stdout) as GradcheckJson;
    const wrong = { ...json, layers: json.layers.map((l) => (l.name === "h2" ? { ...l, activation: "sigmoid" } : l)) };
    const recomputed = await independentGradients(wrong);
    const analytic = json.analytic.find((a) => a.layer === "h1" && a.param === "W")!;
    const theirs = recomputed.get("h1.W")!;
    const worst = Math.max(...analytic.values.map((v, i) => Math.abs(v - theirs[i])));
    expect(worst).toBeGreaterThan(1e-2 * Math.max(...analytic.values.map(Math.abs)));
  });

  it("flags checks across the binary cross-entropy clip as clip hits, not failures with 0 kinks", () => {
    // W ≈ 0 and b = 0: every identity output is 0, clipped to 1e-12; θ ± ε moves it across the clip, where the loss has a corner
    const dir = workspace({ "clip.nnet": `network clip {
  input x: 2
  layer out: dense 1 identity init normal(std: 1e-300)
  loss bce
  data { 1 2 -> 1 ; -1 0.5 -> 0 ; 0.3 -2 -> 1 ; 2 1 -> 0 }
  gradcheck { samples 4 }
}
` });
    const table = nnet("gradcheck", join(dir, "clip.nnet"));
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^out +W +2\/2 +\S+ +\S+ +\(0, 0\) +2 clip +PASS$/m);
    expect(table.stdout).toMatch(/^out +b +1\/1 +\S+ +\S+ +\(0, 0\) +1 clip +PASS$/m);
    const json = JSON.parse(nnet("gradcheck", "--json", join(dir, "clip.nnet")).stdout) as { report: { param: string; kinks: number; clips: number; maxRelError: number; passed: boolean }[]; numeric: { param: string; clip: number[] }[] };
    expect(json.report.map((r) => [r.param, r.kinks, r.clips, r.passed])).toEqual([["W", 0, 2, true], ["b", 0, 1, true]]);
    expect(json.report[0]!.maxRelError).toBeGreaterThan(0.5);
    expect(json.numeric.map((n) => n.clip)).toEqual([[0, 1], [0]]);
  });

  it("exits 1 with FILE:LINE:COL for a file with errors", () => {
    const result = nnet("gradcheck", "test/language/fixtures/unknown-activation.nnet");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(":3:20: error nnet/unknown-activation");
  });
});

describe("nnet demo", () => {
  // its time is measured by `npm run bench:language` (bench/budgets.ts)
  it("trains the spiral, prints the final accuracy and the gradient check table", () => {
    const result = nnet("demo");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("training spiral from examples/spiral.nnet: 337 parameters, 300 epochs");
    const accuracy = /training accuracy (\d+\.\d)%/.exec(result.stdout);
    expect(Number(accuracy?.[1])).toBeGreaterThanOrEqual(95);
    expect(result.stdout).toMatch(/^h1 +W +32\/32 .* PASS$/m);
    expect(result.stdout).toContain("all layers PASS");
    expect(existsSync(join(root, "examples/spiral.nnet"))).toBe(true);
  });
});
