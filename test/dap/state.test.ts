/**
 * `nnet dap` over the protocol, for what a stop shows beyond the layers: the
 * optimizer's settings, scheduled rate and state (against the model file
 * `nnet train --save` writes after the same updates), a dropout layer's
 * mask, and one example's quantities in expressions (the seed's
 * single-example BP2 holds exactly). Every wait is on a DAP event or response.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DebugClient } from "@vscode/debugadapter-testsupport";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeModel } from "../../server/src/model/index";
import { bundledCli, evaluate, exact, fixture, frames, launchAndStop, scopeVariables, startClient, stepWith, topFrame } from "./client";

const optimizers = fixture("optimizers.nnet");
const tiny = fixture("tiny.nnet");

let cli: string;
let dc: DebugClient;
let dir: string;
beforeAll(async () => {
  cli = bundledCli();
  dir = mkdtempSync(join(tmpdir(), "nnet-dap-state-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => { dc = await startClient(cli); });
afterEach(async () => { await dc.stop(); });

const next = (): Promise<unknown> => stepWith(dc, dc.nextRequest({ threadId: 1 }));
const stepOut = (): Promise<unknown> => stepWith(dc, dc.stepOutRequest({ threadId: 1 }));

async function nextTo(name: string): Promise<void> {
  for (let i = 0; i < 40 && (await topFrame(dc)).name !== name; i++) await next();
  expect((await topFrame(dc)).name).toBe(name);
}

async function children(variable: DebugProtocol.Variable): Promise<DebugProtocol.Variable[]> {
  return (await dc.variablesRequest({ variablesReference: variable.variablesReference })).body.variables;
}

/** Every entry of a variable at full precision, flattened row by row. */
async function entries(variable: DebugProtocol.Variable): Promise<number[]> {
  const rows = await children(variable);
  if (rows.every((row) => row.variablesReference === 0)) return rows.map((row) => Number(row.value));
  return (await Promise.all(rows.map(entries))).flat();
}

/** The same run through `nnet train --save`, the training path the CLI takes: its epochs and its model file. */
function trainAndSave(network: string): { lr: number[]; model: ReturnType<typeof decodeModel> } {
  const file = join(dir, `${network}.nnetmodel`);
  const run = spawnSync(process.execPath, [cli, "train", optimizers, "--network", network, "--json", "--save", file], { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  const epochs = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { event: string; lr?: number }).filter((e) => e.event === "epoch");
  return { lr: epochs.map((e) => e.lr as number), model: decodeModel(new Uint8Array(readFileSync(file))) };
}

describe("the Optimizer scope", () => {
  const cases = [
    {
      network: "adamw", steps: 4, layers: ["h1", "out"],
      settings: { optimizer: "adamw", beta1: "0.9", beta2: "0.999", eps: "1e-8", weight_decay: "0.1", l2: "0" },
      first: "m (first moment)", second: "v (second moment)",
    },
    {
      network: "rms", steps: 4, layers: ["h1", "out"],
      settings: { optimizer: "rmsprop", rho: "0.9", eps: "1e-8", momentum: "0.5", l2: "0" },
      first: "momentum buffer", second: "square average s",
    },
  ];
  for (const c of cases) {
    it(`shows ${c.network}'s settings, the scheduled lr and its state as nnet train saves them after the same updates`, async () => {
      const saved = trainAndSave(c.network);
      // the last step of the run, at its update: every update of the run is made
      await launchAndStop(dc, { program: optimizers, network: c.network, startAt: c.steps - 1 });
      await stepOut();
      await stepOut();
      await stepOut();
      expect((await frames(dc))[0]).toMatch(/^update at h1 @/);
      const shown = await scopeVariables(dc, "Optimizer");
      const byName = Object.fromEntries(shown.map((v) => [v.name, v]));
      expect(Object.fromEntries(Object.keys(c.settings).map((k) => [k, byName[k]?.value]))).toEqual(c.settings);
      // the schedule's rate for the last epoch, to the bit, as the epoch event reports it
      expect(byName.lr.value).toMatch(new RegExp(`^${String(saved.lr[1]).replace(".", "\\.")} \\(schedule \\w+, epoch 2; base lr 0\\.01\\)$`));
      expect(Number(await evaluate(dc, "lr"))).toBe(saved.lr[1]);
      expect(saved.lr[1]).not.toBe(saved.lr[0]);
      expect(byName.step.value).toBe(`${c.steps} updates applied (step ${c.steps} of ${c.steps})`);
      expect(saved.model.optimizer?.step).toBe(c.steps);
      for (const layer of c.layers) {
        const state = Object.fromEntries((await children(byName[`state of ${layer}`])).map((v) => [v.name, v]));
        const moments = saved.model.optimizer!.layers.find((l) => l.layer === layer)!;
        expect(await entries(state[`${c.first} of W`])).toEqual(Array.from(moments.first.W));
        expect(await entries(state[`${c.first} of b`])).toEqual(Array.from(moments.first.b));
        expect(await entries(state[`${c.second} of W`])).toEqual(Array.from(moments.second!.W));
        expect(await entries(state[`${c.second} of b`])).toEqual(Array.from(moments.second!.b));
      }
      // the weights after those updates are the saved ones too
      const savedW = saved.model.weights.layers.find((l) => l.name === "h1")!.W;
      expect((await exact(dc, "W.h1")) as number[][]).toEqual(Array.from({ length: savedW.length / 2 }, (_, r) => Array.from(savedW.slice(2 * r, 2 * r + 2))));
    });
  }
});

describe("a dropout layer", () => {
  it("shows the mask of this step, which makes a from its input, and says it is off at evaluation", async () => {
    await launchAndStop(dc, { program: optimizers, network: "adamw" });
    await nextTo("a at h1");
    let d1 = Object.fromEntries((await scopeVariables(dc, "Layer d1")).map((v) => [v.name, v]));
    expect(d1.mask.value).toBe("not yet computed in this step (a at d1 computes it)");
    expect(d1["at evaluation"].value).toMatch(/^off: a = a of its input \(the mask is all 1\)/);
    await next();
    expect((await topFrame(dc)).name).toBe("a at d1");
    d1 = Object.fromEntries((await scopeVariables(dc, "Layer d1")).map((v) => [v.name, v]));
    expect(d1.mask.value).toMatch(/^ℝ⁴ˣ⁴ ‖·‖ = /);
    const mask = (await exact(dc, "mask.d1")) as number[][];
    expect(await entries(d1.mask)).toEqual(mask.flat());
    // inverted dropout at rate 0.5: each entry 0 (dropped) or 1/(1 − 0.5) = 2 (kept), both seen in 16 draws
    expect(new Set(mask.flat())).toEqual(new Set([0, 2]));
    expect(await evaluate(dc, "a.d1 - mask.d1 .* a.h1")).toBe("ℝ⁴ˣ⁴ ‖·‖ = 0 (every entry is 0)");
  });
});

describe("one example's quantities in expressions", () => {
  it("example(k) reads the k-th column, and the seed's BP2 for one example is exactly zero", async () => {
    await launchAndStop(dc, { program: tiny });
    await nextTo("BP3/BP4 at h1");
    const delta = (await exact(dc, "delta.h1")) as number[][];
    for (const k of [1, 2]) {
      expect(await evaluate(dc, `(W.h2' * example(${k}).delta.h2) .* dtanh(example(${k}).z.h1) - example(${k}).delta.h1`)).toBe("ℝ³ˣ¹ ‖·‖ = 0 (every entry is 0)");
      expect(await exact(dc, `example(${k}).delta.h1`)).toEqual(delta.map((row) => [row[k - 1]]));
      expect(await exact(dc, `delta.h1[:, ${k - 1}]`)).toEqual(delta.map((row) => [row[k - 1]]));
      expect(await evaluate(dc, `example(${k}).x - x[:, ${k - 1}]`)).toBe("ℝ²ˣ¹ ‖·‖ = 0 (every entry is 0)");
    }
    // BP4 for one example, δₓ (aₓ)ᵀ; the batch's ∂C/∂W is the mean of the two
    expect(await evaluate(dc, "example(1).dW.h1 - example(1).delta.h1 * example(1).x'")).toBe("ℝ³ˣ² ‖·‖ = 0 (every entry is 0)");
    const dW = (await exact(dc, "dW.h1")) as number[][];
    const mean = (await exact(dc, "(example(1).dW.h1 + example(2).dW.h1) / 2")) as number[][];
    dW.forEach((row, r) => row.forEach((v, c) => expect(Math.abs(mean[r][c] - v)).toBeLessThanOrEqual(1e-15 * Math.abs(v))));
    // C is the mean of the examples' own costs
    const C = (await exact(dc, "C")) as number;
    const own = [(await exact(dc, "example(1).C")) as number, (await exact(dc, "example(2).C")) as number];
    expect(Math.abs((own[0] + own[1]) / 2 - C)).toBeLessThanOrEqual(1e-15 * C);
    expect(own[0]).not.toBe(own[1]);
    // the Example scope of Step Into shows the same numbers
    await stepWith(dc, dc.stepInRequest({ threadId: 1 }));
    const scope = (await dc.scopesRequest({ frameId: 1 })).body.scopes[0];
    const shown = Object.fromEntries((await dc.variablesRequest({ variablesReference: scope.variablesReference })).body.variables.map((v) => [v.name, v]));
    expect(await entries(shown["∂Cₓ/∂W"])).toEqual(((await exact(dc, "example(1).dW.h1")) as number[][]).flat());
  });

  it("explains an example outside the batch and other misuse, and the session goes on", async () => {
    await launchAndStop(dc, { program: tiny });
    await nextTo("BP2 at h1");
    const failure = (expression: string): Promise<unknown> => dc.evaluateRequest({ expression, context: "repl", frameId: 1 });
    await expect(failure("example(3).delta.h1")).rejects.toThrow("example 3 is outside 1…2: this batch has m = 2 examples, counted from 1 as Step Into counts them");
    await expect(failure("example(0).x")).rejects.toThrow("example 0 is outside 1…2");
    await expect(failure("example(1.5).x")).rejects.toThrow("example(k) needs a whole number k (1 to m, as Step Into counts)");
    await expect(failure("example(1).W.h1")).rejects.toThrow("example(1).W.h1: W.h1 is the layer's own, the same for every example; write W.h1");
    await expect(failure("example(1)")).rejects.toThrow("example(k) is followed by a quantity, such as example(1).delta.h1 or example(1).x");
    await expect(failure("example(1).dW.h1")).rejects.toThrow("dW.h1: not yet computed in this step (BP3/BP4 at h1 computes it)");
    await expect(failure("delta.h1[:, 2]")).rejects.toThrow("column 2 is outside 0…1 (the 2 columns are counted from 0)");
    await expect(failure("example(1).delta.h9")).rejects.toThrow("no layer named 'h9'; did you mean 'h1'?");
    expect(await evaluate(dc, "norm(example(2).delta.h1 - delta.h1[:, 1])")).toBe("0");
    await next();
    expect((await topFrame(dc)).name).toBe("BP3/BP4 at h1");
  });
});
