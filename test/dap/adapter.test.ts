/**
 * `nnet dap` over the protocol: launching, the stack that reads like the
 * algorithm, stepping both ways, breakpoints, variables, evaluation and
 * errors. Every wait is on a DAP event or response.
 */
import { spawnSync } from "node:child_process";
import type { DebugClient } from "@vscode/debugadapter-testsupport";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundledCli, evaluate, exact, example, fixture, frames, launchAndStop, scopeVariables, startClient, stepWith, topFrame } from "./client";

// tiny.nnet, 1-based: input 3, h1 5, h2 6, out 7, loss 9, train 19, optimizer 20; 5 rows in batches of 2
const tiny = fixture("tiny.nnet");
const line = { network: 2, input: 3, h1: 5, h2: 6, out: 7, loss: 9, train: 19, optimizer: 20 };
// per step: input, z/a ×3, loss, δ and BP3/BP4 ×3, update ×3
const pointsPerStep = 1 + 6 + 1 + 6 + 3;

const cli = bundledCli();
let dc: DebugClient;
beforeEach(async () => { dc = await startClient(cli); });
afterEach(async () => { await dc.stop(); });

const next = (): Promise<unknown> => stepWith(dc, dc.nextRequest({ threadId: 1 }));

describe("nnet dap", () => {
  it("is listed, explains itself and refuses options", () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
    expect(run("--help").stdout).toMatch(/dap\s+run the debug adapter/);
    expect(run("dap", "--help").stdout).toMatch(/^Usage: nnet dap/);
    const bad = run("dap", "--port", "4711");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/nnet dap: unknown option --port 4711/);
  });
});

describe("launch", () => {
  it("stops on entry at the input line, with a stack that reads like the algorithm", async () => {
    const stopped = await launchAndStop(dc, { program: tiny });
    expect(stopped.body.reason).toBe("entry");
    expect(await frames(dc)).toEqual([`input x @${line.input}`, `forward @${line.input}`, `step 1 of epoch 1`, "train tiny"].map((f, i) =>
      i < 2 ? f : `${f} @${i === 2 ? line.train : line.network}`));
    expect((await dc.threadsRequest()).body.threads).toEqual([{ id: 1, name: "train tiny" }]);
  });

  it("refuses a broken file with its first error and line", async () => {
    await expect(dc.launch({ program: fixture("broken.nnet") } as never)).rejects.toThrow(/broken\.nnet:5:35: error nnet\/unknown-layer: no layer or input named 'nowhere'/);
  });

  it("refuses a missing file, an unknown network and a start past the end", async () => {
    await expect(dc.launch({ program: fixture("absent.nnet") } as never)).rejects.toThrow(/absent\.nnet: cannot read: no such file/);
    const other = await startClient(cli);
    await expect(other.launch({ program: tiny, network: "nope" } as never)).rejects.toThrow(/no network named 'nope'/);
    await other.stop();
    const third = await startClient(cli);
    await expect(third.launch({ program: tiny, startAt: 9 } as never)).rejects.toThrow(/the run has 9 training steps/);
    await third.stop();
  });

  it("startAt and batch pick the first step: the third batch is the last of epoch 1", async () => {
    await launchAndStop(dc, { program: tiny, startAt: 1, batch: 1 });
    expect((await frames(dc))[2]).toBe(`step 3 of epoch 1 @${line.train}`);
    const batch = await scopeVariables(dc, "Batch");
    expect(batch.find((v) => v.name === "m")?.value).toBe("1");
  });

  it("reads a CSV data source as nnet train does", async () => {
    await launchAndStop(dc, { program: example("csv.nnet") });
    expect(await evaluate(dc, "m")).toBe("8");
    expect(await evaluate(dc, "rows(x) * 10 + rows(y)")).toBe("23");
  });

  it("batch full makes one step per epoch over every row", async () => {
    await launchAndStop(dc, { program: tiny, batch: "full", startAt: 2 });
    expect((await frames(dc))[2]).toBe(`step 1 of epoch 3 @${line.train}`);
    expect(await evaluate(dc, "m")).toBe("5");
  });
});

describe("stepping", () => {
  it("steps over every point in the order of the algorithm, each at its line", async () => {
    await launchAndStop(dc, { program: tiny });
    const seen: string[] = [(await topFrame(dc)).name];
    for (let i = 1; i < pointsPerStep; i++) {
      await next();
      const frame = await topFrame(dc);
      seen.push(`${frame.name} @${frame.line}`);
    }
    expect(seen).toEqual([
      "input x",
      `z at h1 @${line.h1}`, `a at h1 @${line.h1}`, `z at h2 @${line.h2}`, `a at h2 @${line.h2}`, `z at out @${line.out}`, `a at out @${line.out}`,
      `loss C @${line.loss}`,
      `BP1 at out @${line.out}`, `BP3/BP4 at out @${line.out}`, `BP2 at h2 @${line.h2}`, `BP3/BP4 at h2 @${line.h2}`,
      `BP2 at h1 @${line.h1}`, `BP3/BP4 at h1 @${line.h1}`,
      `update at h1 @${line.optimizer}`, `update at h2 @${line.optimizer}`, `update at out @${line.optimizer}`,
    ]);
    await next();
    expect((await frames(dc)).slice(0, 3)).toEqual([`input x @${line.input}`, `forward @${line.input}`, `step 2 of epoch 1 @${line.train}`]);
  });

  it("steps out of a phase to the first point of the next", async () => {
    await launchAndStop(dc, { program: tiny });
    await stepWith(dc, dc.stepOutRequest({ threadId: 1 }));
    expect((await topFrame(dc)).name).toBe("loss C");
    await stepWith(dc, dc.stepOutRequest({ threadId: 1 }));
    expect((await topFrame(dc)).name).toBe("BP1 at out");
    await stepWith(dc, dc.stepOutRequest({ threadId: 1 }));
    expect((await topFrame(dc)).name).toBe("update at h1");
    await stepWith(dc, dc.stepOutRequest({ threadId: 1 }));
    expect((await frames(dc)).slice(0, 3)).toEqual([`input x @${line.input}`, `forward @${line.input}`, `step 2 of epoch 1 @${line.train}`]);
  });

  it("steps back to the same numbers, bit for bit, across an update and a step", async () => {
    await launchAndStop(dc, { program: tiny, startAt: 1 });
    const read = async (): Promise<unknown[]> => [
      await exact(dc, "W.h1"), await exact(dc, "b.out"), await exact(dc, "x"), ...(await frames(dc)).slice(0, 3),
    ];
    for (let i = 0; i < 13; i++) await next();
    const beforeUpdate = await read();
    expect(beforeUpdate[3]).toBe(`BP3/BP4 at h1 @${line.h1}`);
    const forward: unknown[][] = [];
    for (let i = 0; i < 4; i++) {
      await next(); // update at h1, h2, out; then step 3's input
      forward.push(await read());
    }
    expect(forward[0][0]).not.toEqual(beforeUpdate[0]);
    expect(forward[3][3]).toBe(`input x @${line.input}`);
    for (let i = 2; i >= 0; i--) {
      await stepWith(dc, dc.stepBackRequest({ threadId: 1 }));
      expect(await read()).toEqual(forward[i]);
    }
    await stepWith(dc, dc.stepBackRequest({ threadId: 1 }));
    expect(await read()).toEqual(beforeUpdate);
  });

  it("reverse-continues to the last breakpoint before, or to the start of the run", async () => {
    await launchAndStop(dc, { program: tiny, startAt: 2 }, [{ line: line.h2 }]);
    for (let i = 0; i < 10; i++) await next(); // into step 3's backward, past its h2 forward stop
    const back = await stepWith(dc, dc.reverseContinueRequest({ threadId: 1 }));
    expect(back.body.reason).toBe("breakpoint");
    expect((await frames(dc)).slice(0, 3)[0]).toBe(`z at h2 @${line.h2}`);
    expect((await frames(dc))[2]).toBe(`step 3 of epoch 1 @${line.train}`);
    await stepWith(dc, dc.reverseContinueRequest({ threadId: 1 }));
    expect((await topFrame(dc)).name).toBe("BP2 at h2");
    expect((await frames(dc))[2]).toBe(`step 2 of epoch 1 @${line.train}`);
    await dc.setBreakpointsRequest({ source: { path: tiny }, breakpoints: [] });
    const start = await stepWith(dc, dc.reverseContinueRequest({ threadId: 1 }));
    expect(start.body.reason).toBe("entry");
    expect((await frames(dc)).slice(0, 3)).toEqual([`input x @${line.input}`, `forward @${line.input}`, `step 1 of epoch 1 @${line.train}`]);
  });

  it("pauses a long run where it is", async () => {
    await launchAndStop(dc, { program: fixture("long.nnet") });
    await dc.continueRequest({ threadId: 1 });
    await expect(dc.nextRequest({ threadId: 1 })).rejects.toThrow("the run is going; pause it first");
    await expect(evaluate(dc, "norm(x)")).rejects.toThrow("the run is going; pause it to evaluate");
    const paused = await stepWith(dc, dc.pauseRequest({ threadId: 1 }));
    expect(paused.body.reason).toBe("pause");
    expect((await frames(dc))[3]).toBe(`train tiny @${line.network}`);
    await stepWith(dc, dc.nextRequest({ threadId: 1 }));
  });

  it("stays at the first point of the run when stepping back, and ends after the last", async () => {
    await launchAndStop(dc, { program: tiny });
    const [said] = await Promise.all([dc.waitForEvent("output"), stepWith(dc, dc.stepBackRequest({ threadId: 1 }))]);
    expect(said.body.output).toBe("this is the first point of the run; there is nothing before it\n");
    expect((await frames(dc))[2]).toBe(`step 1 of epoch 1 @${line.train}`);
    const other = await startClient(cli);
    await launchAndStop(other, { program: tiny, startAt: 8 });
    for (let i = 0; i < pointsPerStep - 1; i++) await stepWith(other, other.nextRequest({ threadId: 1 }));
    expect((await other.stackTraceRequest({ threadId: 1 })).body.stackFrames.map((f) => f.name).slice(0, 3))
      .toEqual(["update at out", "update", "step 3 of epoch 3"]);
    await Promise.all([other.nextRequest({ threadId: 1 }), other.waitForEvent("terminated")]);
    await other.stop();
  });

  it("continues to the end of the run: terminated", async () => {
    await launchAndStop(dc, { program: tiny });
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent("terminated")]);
  });
});

describe("breakpoints", () => {
  it("stops where forward and backward enter a layer's line, verified only on lines with points", async () => {
    const [, , stopped] = await Promise.all([
      dc.waitForEvent("initialized").then(async () => {
        const set = await dc.setBreakpointsRequest({ source: { path: tiny }, breakpoints: [{ line: line.h1 }, { line: 4 }, { line: line.optimizer }] });
        expect(set.body.breakpoints.map((b) => b.verified)).toEqual([true, false, true]);
        expect(set.body.breakpoints[1].message).toMatch(/no execution point on this line/);
        await dc.configurationDoneRequest();
      }),
      dc.launch({ program: tiny, stopOnEntry: false } as never),
      dc.waitForEvent("stopped"),
    ]);
    expect((stopped as { body: { reason: string } }).body.reason).toBe("breakpoint");
    const stops: string[] = [(await topFrame(dc)).name];
    for (let i = 0; i < 3; i++) {
      await stepWith(dc, dc.continueRequest({ threadId: 1 }));
      stops.push(`${(await topFrame(dc)).name}, ${(await frames(dc))[2].split(" @")[0]}`);
    }
    expect(stops).toEqual(["z at h1", "BP2 at h1, step 1 of epoch 1", "update at h1, step 1 of epoch 1", "z at h1, step 2 of epoch 1"]);
  });

  it("a condition stops only where it holds; a hit count counts entries from the start of the run", async () => {
    await launchAndStop(dc, { program: tiny, stopOnEntry: false }, [{ line: line.out, condition: "epoch == 2 && m == 1" }]);
    expect((await frames(dc)).slice(0, 3)).toEqual([`z at out @${line.out}`, `forward @${line.input}`, `step 3 of epoch 2 @${line.train}`]);
    // hits count from the start of the run, as if the breakpoint had been set before it: the 8th loss is step 8
    await dc.setBreakpointsRequest({ source: { path: tiny }, breakpoints: [{ line: line.loss, hitCondition: "8" }] });
    await stepWith(dc, dc.continueRequest({ threadId: 1 }));
    expect((await frames(dc))[2]).toBe(`step 2 of epoch 3 @${line.train}`);
  });

  it("a condition on a quantity not computed yet is false there; one that fails stops and says why", async () => {
    await launchAndStop(dc, { program: tiny, stopOnEntry: false }, [{ line: line.h1, condition: "norm(delta.h1) > 0 && epoch == 2" }]);
    expect((await frames(dc)).slice(0, 3)).toEqual([`BP2 at h1 @${line.h1}`, `backward @${line.out}`, `step 1 of epoch 2 @${line.train}`]);
    await dc.setBreakpointsRequest({ source: { path: tiny }, breakpoints: [{ line: line.h2, condition: "W.h2 > 0" }] });
    const [stderr, stopped] = await Promise.all([dc.waitForEvent("output"), stepWith(dc, dc.continueRequest({ threadId: 1 }))]);
    expect(stopped.body.reason).toBe("breakpoint");
    expect(stderr.body).toMatchObject({
      category: "stderr", line: line.h2,
      output: "breakpoint condition 'W.h2 > 0': the condition gives a 3×3 matrix, not a number; reduce it with norm(…), max(…) or mean(…)\n",
    });
  });

  it("logpoints print and do not stop; a broken condition is refused when set", async () => {
    await launchAndStop(dc, { program: tiny });
    const set = await dc.setBreakpointsRequest({
      source: { path: tiny },
      breakpoints: [{ line: line.h1, logMessage: "h1: {norm(delta.h1) > 0} m={m}" }, { line: line.out, condition: "norm(z.out" }],
    });
    expect(set.body.breakpoints[1]).toMatchObject({ verified: false, message: expect.stringMatching(/expected '\)'/) });
    const logs: string[] = [];
    const lines = new Set<number>();
    dc.on("output", (event: { body: { output: string; line?: number } }) => {
      logs.push(event.body.output);
      if (event.body.output.startsWith("h1:")) lines.add(event.body.line ?? -1);
    });
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent("terminated")]);
    const h1 = logs.filter((l) => l.startsWith("h1:"));
    // z at h1 (gradients not yet computed) then BP2 at h1, in each of 9 steps
    expect(h1.length).toBe(18);
    expect(h1[0]).toBe("h1: <delta.h1: not yet computed in this step (BP2 at h1 computes it)> m=2\n");
    expect(h1[1]).toBe("h1: 1 m=2\n");
    expect([...lines]).toEqual([line.h1]);
  });

  it("stops where a quantity first becomes non-finite, naming the layer and quantity", async () => {
    const stopped = await launchAndStop(dc, { program: fixture("diverge.nnet"), stopOnEntry: false });
    expect(stopped.body.reason).toBe("exception");
    // where nnet train says "training diverged in epoch 2: layer 'out' has non-finite activations"
    expect(stopped.body.description).toBe("non-finite value (NaN or Infinity): z of layer 'out' is the first quantity to become non-finite");
    expect((await frames(dc)).slice(0, 3)).toEqual(["z at out @6", "forward @3", "step 1 of epoch 2 @15"]);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    expect(info.body.description).toBe(stopped.body.description);
    // going on does not stop at every later NaN
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent("terminated")]);
  });

  // Continue runs whole steps; a W made infinite by an update shows only in the next step's z, or at the end
  for (const network of ["later", "last"]) {
    it(`stops at the update that first makes W non-finite, though Continue ran the step whole (${network})`, async () => {
      const stopped = await launchAndStop(dc, { program: fixture("overflow.nnet"), network, stopOnEntry: false });
      expect(stopped.body.reason).toBe("exception");
      // where nnet train says "training diverged in epoch 1: layer 'out' has non-finite weights"
      expect(stopped.body.description).toBe("non-finite value (NaN or Infinity): W of layer 'out' is the first quantity to become non-finite");
      const train = network === "later" ? 16 : 38;
      expect((await frames(dc)).slice(0, 3)).toEqual([`update at out @${train + 1}`, `update @${train + 1}`, `step 1 of epoch 1 @${train}`]);
      expect(await evaluate(dc, "norm(dW.out) < 1e10 && norm(z.out) < 1e10")).toBe("1");
    });
  }
});

describe("variables and evaluation", () => {
  it("shows a scope per layer with shapes and norms, and says what is not yet computed", async () => {
    await launchAndStop(dc, { program: tiny });
    for (let i = 0; i < 2; i++) await next(); // a at h1
    const scopes = (await dc.scopesRequest({ frameId: 1 })).body.scopes.map((s) => s.name);
    expect(scopes).toEqual(["Layer h1", "Batch", "Loss", "Layer h2", "Layer out", "Optimizer"]);
    const h1 = await scopeVariables(dc, "Layer h1");
    const byName = Object.fromEntries(h1.map((v) => [v.name, v.value]));
    expect(byName.W).toMatch(/^ℝ³ˣ² ‖·‖ = \d/);
    expect(byName.b).toMatch(/^ℝ³ ‖·‖ = 0 \(every entry is 0\)$/);
    expect(byName.z).toMatch(/^ℝ³ˣ² ‖·‖ = /);
    expect(byName.a).toMatch(/^ℝ³ˣ² ‖·‖ = /);
    expect(byName["δ"]).toBe("not yet computed in this step (BP2 at h1 computes it)");
    expect(byName["∂C/∂W"]).toBe("not yet computed in this step (BP3/BP4 at h1 computes it)");
    const loss = await scopeVariables(dc, "Loss");
    expect(loss.find((v) => v.name === "C")?.value).toBe("not yet computed in this step (loss C computes it)");
    const optimizer = Object.fromEntries((await scopeVariables(dc, "Optimizer")).map((v) => [v.name, v.value]));
    expect(optimizer).toMatchObject({ optimizer: "sgd", lr: "0.5", momentum: "0.9", step: "0 updates applied (step 1 of 9)" });
  });

  it("expands a matrix to rows and a row to its entries, at full precision", async () => {
    await launchAndStop(dc, { program: tiny });
    const W = (await scopeVariables(dc, "Layer h1")).find((v) => v.name === "W")!;
    expect(W.evaluateName).toBe("W.h1");
    const rows = (await dc.variablesRequest({ variablesReference: W.variablesReference })).body.variables;
    expect(rows.map((r) => r.name)).toEqual(["[0]", "[1]", "[2]"]);
    const entries = (await dc.variablesRequest({ variablesReference: rows[1].variablesReference })).body.variables;
    const exactW = (await exact(dc, "W.h1")) as number[][];
    expect(entries.map((e) => Number(e.value))).toEqual(exactW[1]);
    expect(entries[0].evaluateName).toBe("W.h1[1, 0]");
    expect(Number(await evaluate(dc, "W.h1[1, 0]"))).toBe(exactW[1][0]);
  });

  it("pages long rows: indexedVariables, then start and count", async () => {
    await launchAndStop(dc, { program: example("iris.nnet"), batch: "full" });
    const x = (await scopeVariables(dc, "Batch")).find((v) => v.name === "x")!;
    expect(x.value).toMatch(/^ℝ⁴ˣ¹²⁰ /);
    const rows = (await dc.variablesRequest({ variablesReference: x.variablesReference })).body.variables;
    expect(rows[0].indexedVariables).toBe(120);
    const page = (await dc.variablesRequest({ variablesReference: rows[0].variablesReference, filter: "indexed", start: 100, count: 20 })).body.variables;
    expect(page.map((v) => v.name)).toEqual(Array.from({ length: 20 }, (_, i) => `[0][${100 + i}]`));
    expect(page.map((v) => Number(v.value))).toEqual(((await exact(dc, "x")) as number[][])[0].slice(100));
  });

  it("evaluates the BP2 check to an exact zero matrix, and other expressions", async () => {
    await launchAndStop(dc, { program: tiny });
    await stepWith(dc, dc.stepOutRequest({ threadId: 1 }));
    await stepWith(dc, dc.stepOutRequest({ threadId: 1 }));
    for (let i = 0; i < 5; i++) await next(); // BP3/BP4 at h1: backward is done, the update not yet made
    expect((await topFrame(dc)).name).toBe("BP3/BP4 at h1");
    expect(await evaluate(dc, "(W.h2' * delta.h2) .* dtanh(z.h1) - delta.h1")).toBe("ℝ³ˣ² ‖·‖ = 0 (every entry is 0)");
    expect(await evaluate(dc, "delta.out - (a.out - y)")).toBe("ℝ²ˣ² ‖·‖ = 0 (every entry is 0)");
    expect(await evaluate(dc, "dW.h2 - delta.h2 * a.h1' / m")).toMatch(/‖·‖ = (0|\d.*e-1[5-7])/);
    expect(Number(await evaluate(dc, "norm(x)"))).toBeGreaterThan(0);
    expect(await evaluate(dc, "rows(W.out) * 10 + cols(W.out)")).toBe("23");
    expect(await evaluate(dc, "mean(abs(delta.h1)) > 0")).toBe("1");
  });

  it("completes names in the Debug Console", async () => {
    await launchAndStop(dc, { program: tiny });
    const labels = async (text: string): Promise<string[]> =>
      (await dc.completionsRequest({ text, column: text.length + 1, frameId: 1 })).body.targets.map((t) => t.label);
    expect(await labels("norm(delta.h")).toEqual(["delta.h1", "delta.h2"]);
    expect(await labels("dt")).toEqual(["dtanh("]);
    const target = (await dc.completionsRequest({ text: "1 + W.o", column: 8, frameId: 1 })).body.targets[0];
    expect(target).toMatchObject({ label: "W.out", start: 5, length: 3 });
  });

  it("explains a bad expression and carries on", async () => {
    await launchAndStop(dc, { program: tiny });
    await expect(evaluate(dc, "W.h1 * W.h1")).rejects.toThrow("cannot multiply 3×2 by 3×2: the inner sizes 2 and 3 differ (use .* to multiply elementwise)");
    await expect(evaluate(dc, "delta.h1")).rejects.toThrow("delta.h1: not yet computed in this step (BP2 at h1 computes it)");
    await expect(evaluate(dc, "W.h3")).rejects.toThrow("no layer named 'h3'; did you mean 'h1'?");
    await expect(evaluate(dc, "norm(W.h1")).rejects.toThrow("expected ')' at column 10 (the expression ends early)");
    await expect(evaluate(dc, "frob(W.h1)")).rejects.toThrow(/unknown function 'frob'/);
    await expect(evaluate(dc, "W.h1 + W.out")).rejects.toThrow("'+' needs operands of the same shape, got 3×2 and 2×3");
    await next();
    expect((await topFrame(dc)).name).toBe("z at h1");
  });
});
