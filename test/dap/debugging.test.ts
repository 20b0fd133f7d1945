/**
 * `nnet dap` over the protocol, for Step Into's per-example view, the
 * gradient exception filters, Reverse Continue against forward execution,
 * and the live values the editor draws beside the source. Every wait is on a
 * DAP event or response.
 */
import type { DebugClient } from "@vscode/debugadapter-testsupport";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { loadProgram } from "../../server/src/dap/program";
import { short } from "../../server/src/dap/values";
import { gradientTrend, trendSentence } from "../../server/src/language/ide/index";
import { bundledCli, evaluate, exact, fixture, frames, launchAndStop, scopeVariables, startClient, stepWith, topFrame } from "./client";

const tiny = fixture("tiny.nnet");
const line = { input: 3, h1: 5, h2: 6, out: 7, loss: 9, train: 19, optimizer: 20 };

const cli = bundledCli();
let dc: DebugClient;
beforeEach(async () => { dc = await startClient(cli); });
afterEach(async () => { await dc.stop(); });

const next = (): Promise<unknown> => stepWith(dc, dc.nextRequest({ threadId: 1 }));
const stepIn = (): Promise<DebugProtocol.StoppedEvent> => stepWith(dc, dc.stepInRequest({ threadId: 1 }));
const stepOut = (): Promise<DebugProtocol.StoppedEvent> => stepWith(dc, dc.stepOutRequest({ threadId: 1 }));
const stepBack = (): Promise<DebugProtocol.StoppedEvent> => stepWith(dc, dc.stepBackRequest({ threadId: 1 }));

async function nextTo(name: string): Promise<void> {
  for (let i = 0; i < 40 && (await topFrame(dc)).name !== name; i++) await next();
  expect((await topFrame(dc)).name).toBe(name);
}

/** Every entry of a variable at full precision: a vector's entries, or a matrix's rows of entries. */
async function entries(variable: DebugProtocol.Variable): Promise<number[] | number[][]> {
  const children = (await dc.variablesRequest({ variablesReference: variable.variablesReference })).body.variables;
  if (children.every((child) => child.variablesReference === 0)) return children.map((child) => Number(child.value));
  return Promise.all(children.map(async (row) => (await entries(row)) as number[]));
}

async function exampleScope(): Promise<Record<string, DebugProtocol.Variable>> {
  const scope = (await dc.scopesRequest({ frameId: 1 })).body.scopes[0];
  expect(scope.name).toMatch(/^Example \d+ of \d+$/);
  const variables = (await dc.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
  return Object.fromEntries(variables.map((v) => [v.name, v]));
}

const columnOf = (rows: number[][], j: number): number[] => rows.map((row) => row[j]);

describe("Step Into: the per-example view", () => {
  it("goes through the examples of BP3/BP4, whose own gradients average to ∂C/∂W; past the last it goes on", async () => {
    await launchAndStop(dc, { program: tiny });
    await nextTo("BP3/BP4 at h2");
    const delta = (await exact(dc, "delta.h2")) as number[][];
    const input = (await exact(dc, "a.h1")) as number[][];
    const x = (await exact(dc, "x")) as number[][];
    const dW = (await exact(dc, "dW.h2")) as number[][];
    const own: number[][][] = [];
    for (const j of [0, 1]) {
      expect((await stepIn()).body.reason).toBe("step");
      expect((await frames(dc)).slice(0, 3)).toEqual([`example ${j + 1} of 2 @${line.h2}`, `BP3/BP4 at h2 @${line.h2}`, `backward @${line.out}`]);
      const shown = await exampleScope();
      expect(await entries(shown["δ"])).toEqual(columnOf(delta, j));
      expect(await entries(shown.x)).toEqual(columnOf(x, j));
      expect(await entries(shown["a of h1 (the layer's input)"])).toEqual(columnOf(input, j));
      const mine = (await entries(shown["∂Cₓ/∂W"])) as number[][];
      expect(mine).toEqual(columnOf(delta, j).map((d) => columnOf(input, j).map((a) => d * a)));
      own.push(mine);
    }
    // BP4 batched (backprop §6.4): the mean of the examples' own gradients, up to the order of the additions
    dW.forEach((row, r) => row.forEach((value, c) => expect(Math.abs((own[0][r][c] + own[1][r][c]) / 2 - value)).toBeLessThanOrEqual(1e-15 * Math.abs(value))));
    await stepIn();
    expect((await frames(dc)).slice(0, 2)).toEqual([`BP2 at h1 @${line.h1}`, `backward @${line.out}`]);
  });

  it("Step Out leaves the view at the same point; Step Back goes to the example before, then out", async () => {
    await launchAndStop(dc, { program: tiny });
    await nextTo("BP2 at h1");
    await stepIn();
    expect((await stepOut()).body.reason).toBe("step");
    expect((await frames(dc))[0]).toBe(`BP2 at h1 @${line.h1}`);
    expect((await dc.scopesRequest({ frameId: 1 })).body.scopes[0].name).toBe("Layer h1");
    await stepIn();
    await stepIn();
    expect((await topFrame(dc)).name).toBe("example 2 of 2");
    await stepBack();
    expect((await topFrame(dc)).name).toBe("example 1 of 2");
    await stepBack();
    expect((await topFrame(dc)).name).toBe("BP2 at h1");
    await stepBack();
    expect((await topFrame(dc)).name).toBe("BP3/BP4 at h2");
  });

  it("at the loss shows each example's own C, whose mean is C; at an update it is Step Over", async () => {
    await launchAndStop(dc, { program: tiny });
    await stepOut();
    expect((await topFrame(dc)).name).toBe("loss C");
    const C = (await exact(dc, "C")) as number;
    const own: number[] = [];
    for (let j = 0; j < 2; j++) {
      await stepIn();
      own.push(Number((await exampleScope())["Cₓ"].value));
    }
    expect(Math.abs((own[0] + own[1]) / 2 - C)).toBeLessThanOrEqual(1e-15 * C);
    await stepOut(); // out of the example view, at the loss
    expect((await frames(dc))[0]).toBe(`loss C @${line.loss}`);
    await stepOut();
    await stepOut();
    expect((await topFrame(dc)).name).toBe("update at h1");
    await stepIn();
    expect((await frames(dc))[0]).toBe(`update at h2 @${line.optimizer}`);
  });
});

describe("exception filters", () => {
  const trend = fixture("trend.nnet");

  it("offers the four filters and refuses an unknown one", async () => {
    const init = await dc.initializeRequest({ adapterID: "nnet", pathFormat: "path", linesStartAt1: true, columnsStartAt1: true });
    expect(init.body?.exceptionBreakpointFilters?.map((f) => f.filter)).toEqual(["nonfinite", "vanishing", "exploding", "gradcheck"]);
    await expect(dc.setExceptionBreakpointsRequest({ filters: ["nope"] })).rejects.toThrow(
      "unknown exception filter 'nope' (filters: nonfinite, vanishing, exploding, gradcheck)");
  });

  for (const kind of ["exploding", "vanishing"] as const) {
    it(`stops at the end of the first epoch whose mean gradient is ${kind}, saying the editor's warning on the same numbers, once`, async () => {
      const epochs = trainedEpochs(trend, kind);
      const stopped = await launchAndStop(dc, { program: trend, network: kind, stopOnEntry: false }, [], [kind]);
      expect(stopped.body.reason).toBe("exception");
      const at = kind === "exploding" ? { h1: 5, out: 7, train: 18 } : { h1: 29, out: 31, train: 42 };
      // the epoch's last batch (4 rows in batches of 2), after its backward pass, before its update
      expect((await frames(dc)).slice(0, 3)).toEqual([`BP3/BP4 at h1 @${at.h1}`, `backward @${at.out}`, `step 2 of epoch 1 @${at.train}`]);
      // the stop names the layers and shows the epoch means that tripped the rule, as nnet train --json reports them
      expect(stopped.body.description).toBe(`${editorWarning(trend, kind, epochs[0])} (epoch 1's mean over its 2 batches: ${meansText(epochs[0], "h1", "out")})`);
      expect(await epochMeans()).toEqual(epochs[0]);
      expect((await dc.exceptionInfoRequest({ threadId: 1 })).body).toMatchObject({ exceptionId: kind, description: stopped.body.description });
      await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent("terminated")]);
    });
  }

  const epochTrend = fixture("epoch-trend.nnet");

  it("does not stop where one batch's gradient vanishes but its epoch's mean does not, as the editor warns of none", async () => {
    const epochs = trainedEpochs(epochTrend, "dip");
    expect(epochs.map((e) => editorWarning(epochTrend, "dip", e))).toEqual([undefined, undefined]);
    // the first batch's own ratio is past the rule's 1/100
    await launchAndStop(dc, { program: epochTrend, network: "dip" });
    await nextTo("BP3/BP4 at h1");
    expect((await frames(dc))[2]).toBe("step 1 of epoch 1 @20");
    expect(Number(await evaluate(dc, "norm(dW.h1) / norm(dW.out)"))).toBeLessThanOrEqual(0.01);
    await dc.stop();
    dc = await startClient(cli);
    expect(await stopsUntilTheEnd({ program: epochTrend, network: "dip" }, ["vanishing"])).toEqual([]);
  });

  it("stops at the end of an epoch whose mean gradient vanishes though its last batch's does not, where the editor warns", async () => {
    const epochs = trainedEpochs(epochTrend, "drift");
    const warning = editorWarning(epochTrend, "drift", epochs[0]);
    expect(warning).toMatch(/^vanishing gradients: /);
    const stopped = await launchAndStop(dc, { program: epochTrend, network: "drift", stopOnEntry: false }, [], ["vanishing"]);
    expect((await frames(dc)).slice(0, 3)).toEqual(["BP3/BP4 at h1 @33", "backward @35", "step 6 of epoch 1 @54"]);
    expect(stopped.body.description).toBe(`${warning} (epoch 1's mean over its 6 batches: ${meansText(epochs[0], "h1", "out")})`);
    expect(await epochMeans()).toEqual(epochs[0]);
    expect(Number(await evaluate(dc, "norm(dW.h1) / norm(dW.out)"))).toBeGreaterThan(0.01);
  });
  it("runs to the end without a stop on a healthy network, or for the other direction", async () => {
    expect(await stopsUntilTheEnd({ program: tiny }, ["vanishing", "exploding", "gradcheck"])).toEqual([]);
    await dc.stop();
    dc = await startClient(cli);
    expect(await stopsUntilTheEnd({ program: trend, network: "exploding" }, ["vanishing"])).toEqual([]);
  });

  it("stops where the engine's gradient checker fails on the current batch", async () => {
    const stopped = await launchAndStop(dc, { program: fixture("coarse.nnet"), stopOnEntry: false }, [], ["gradcheck"]);
    expect(stopped.body.reason).toBe("exception");
    expect((await frames(dc)).slice(0, 3)).toEqual([`BP3/BP4 at h1 @${line.h1}`, `backward @${line.out}`, `step 1 of epoch 1 @21`]);
    // ε = 0.1 leaves a truncation error of order ε² in the central difference (backprop §6.5)
    expect(stopped.body.description).toMatch(
      /^gradient check failed on this batch: ∂C\/∂[Wb] of layer '(h1|h2|out)' differs from its central difference by a relative error of (0\.\d+|\d[\d.]*e-\d+) \(tolerance 0\.00001, ε = 0\.1\)$/);
    expect((await dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId).toBe("gradcheck");
    // the check ran on a copy: the run's numbers are training's (BP2 still holds exactly)
    expect(await evaluate(dc, "(W.h2' * delta.h2) .* dtanh(z.h1) - delta.h1")).toBe("ℝ³ˣ² ‖·‖ = 0 (every entry is 0)");
  });
});

type GradNorms = Record<string, number>;

/** `nnet train --json` on the same network: each epoch's mean ‖∂C/∂W‖ per layer, as the editor's run record gets them. */
function trainedEpochs(file: string, network: string): GradNorms[] {
  const run = spawnSync(process.execPath, [cli, "train", file, "--network", network, "--json"], { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { event: string; gradNorms?: GradNorms })
    .filter((e) => e.event === "epoch").map((e) => Object.fromEntries(Object.entries(e.gradNorms as GradNorms).filter(([, v]) => v > 0)));
}

/** The sentence of the editor's warning after a run whose last epoch had these norms (language/ide's rule), if any. */
function editorWarning(file: string, network: string, norms: GradNorms): string | undefined {
  const loaded = loadProgram({ program: file, network });
  if (!loaded.ok) throw new Error(loaded.message);
  const spec = loaded.program.config.spec;
  const trend = gradientTrend(spec, { layers: Object.entries(norms).map(([layer, gradNorm]) => ({ layer, gradNorm })) });
  return trend && trendSentence(trend, spec.layers[spec.layers.length - 1].name);
}

/** An epoch's mean ‖∂C/∂W‖ of the first layer and the output, as a stop's description writes them (four digits). */
const meansText = (norms: GradNorms, first: string, output: string): string =>
  `‖∂C/∂W‖ = ${short(norms[first])} at '${first}', ${short(norms[output])} at '${output}'`;

/** The Optimizer scope's epoch mean ‖∂C/∂W‖, per layer at full precision. */
async function epochMeans(): Promise<GradNorms> {
  const means = (await scopeVariables(dc, "Optimizer")).find((v) => v.name === "epoch mean ‖∂C/∂W‖")!;
  const layers = (await dc.variablesRequest({ variablesReference: means.variablesReference })).body.variables;
  return Object.fromEntries(layers.map((v) => [v.name, Number(v.value)]));
}

/** Launches without stopping on entry and runs to the end; the stops on the way are continued past and returned. */
async function stopsUntilTheEnd(args: { program: string; network?: string }, filters: string[]): Promise<string[]> {
  const stops: string[] = [];
  dc.on("stopped", (event: DebugProtocol.StoppedEvent) => {
    stops.push(event.body.description ?? event.body.reason);
    void dc.continueRequest({ threadId: 1 });
  });
  await Promise.all([
    dc.waitForEvent("initialized").then(async () => {
      await dc.setExceptionBreakpointsRequest({ filters });
      await dc.configurationDoneRequest();
    }),
    dc.launch({ ...args, stopOnEntry: false } as DebugProtocol.LaunchRequestArguments),
    dc.waitForEvent("terminated"),
  ]);
  return stops;
}

describe("Reverse Continue against forward execution", () => {
  interface Stop {
    frames: string[];
    W: unknown;
    x: unknown;
  }
  const here = async (): Promise<Stop> => ({ frames: (await frames(dc)).slice(0, 3), W: await exact(dc, "W.h1"), x: await exact(dc, "x") });

  it("lands on the stops forward execution made, in reverse, with their numbers; logpoints do not print going back", async () => {
    // h1 is entered twice a step; the condition holds from epoch 2, and every second hit stops
    const logs: string[] = [];
    dc.on("output", (event: DebugProtocol.OutputEvent) => { if (event.body.output.startsWith("C=")) logs.push(event.body.output); });
    await launchAndStop(dc, { program: tiny, stopOnEntry: false }, [
      { line: line.h1, condition: "epoch >= 2", hitCondition: "% 2" },
      { line: line.loss, logMessage: "C={C}" },
    ]);
    const forward: Stop[] = [await here()];
    for (let i = 0; i < 3; i++) {
      expect((await stepWith(dc, dc.continueRequest({ threadId: 1 }))).body.reason).toBe("breakpoint");
      forward.push(await here());
    }
    expect(forward.map((stop) => stop.frames[0] + ", " + stop.frames[2])).toEqual([
      `BP2 at h1 @${line.h1}, step 1 of epoch 2 @${line.train}`, `BP2 at h1 @${line.h1}, step 2 of epoch 2 @${line.train}`,
      `BP2 at h1 @${line.h1}, step 3 of epoch 2 @${line.train}`, `BP2 at h1 @${line.h1}, step 1 of epoch 3 @${line.train}`,
    ]);
    expect(logs.length).toBe(7); // steps 1 to 7 of the run reached the loss before the fourth stop
    for (let i = 2; i >= 0; i--) {
      expect((await stepWith(dc, dc.reverseContinueRequest({ threadId: 1 }))).body.reason).toBe("breakpoint");
      expect(await here()).toEqual(forward[i]);
    }
    expect((await stepWith(dc, dc.reverseContinueRequest({ threadId: 1 }))).body.reason).toBe("entry");
    expect((await frames(dc))[2]).toBe(`step 1 of epoch 1 @${line.train}`);
    expect(logs.length).toBe(7);
    // forward again from the start: the same stops, the hit counts as they were, the logpoints printed again
    await stepWith(dc, dc.continueRequest({ threadId: 1 }));
    expect(await here()).toEqual(forward[0]);
    expect(logs.length).toBe(7 + 4);
  });

  it("goes back to the first trip of a filter, and forward stops there again", async () => {
    const stopped = await launchAndStop(dc, { program: fixture("diverge.nnet"), stopOnEntry: false });
    expect(stopped.body.reason).toBe("exception");
    const first = await frames(dc);
    for (let i = 0; i < 5; i++) await next();
    const back = await stepWith(dc, dc.reverseContinueRequest({ threadId: 1 }));
    expect(back.body).toMatchObject({ reason: "exception", description: stopped.body.description });
    expect(await frames(dc)).toEqual(first);
    await stepBack();
    expect((await stepWith(dc, dc.nextRequest({ threadId: 1 }))).body.reason).toBe("exception");
    expect(await frames(dc)).toEqual(first);
  });
});

describe("live values for the editor", () => {
  interface Layer { layer: string; line: number; inline: string; quantities: string[]; at: string }
  const layerValues = async (): Promise<Layer[]> => (await dc.customRequest("nnet/layerValues")).body.layers as Layer[];

  it("gives each layer's line, the norms computed so far and the Variables' quantities", async () => {
    await launchAndStop(dc, { program: tiny });
    expect((await layerValues()).map((l) => [l.layer, l.line, l.inline])).toEqual([["h1", line.h1, ""], ["h2", line.h2, ""], ["out", line.out, ""]]);
    await nextTo("BP3/BP4 at h2");
    const layers = await layerValues();
    const short = async (expression: string): Promise<number> => Number(Number(await evaluate(dc, expression)).toPrecision(4));
    expect(layers[0].inline).toBe(`‖a‖ = ${await short("norm(a.h1)")}`);
    expect(layers[1].inline).toBe(`‖a‖ = ${await short("norm(a.h2)")}  ‖δ‖ = ${await short("norm(delta.h2)")}  ‖∂C/∂W‖ = ${await short("norm(dW.h2)")}`);
    expect(layers[1].at).toBe("BP3/BP4 at h2, step 1 of epoch 1");
    const variables = await scopeVariables(dc, "Layer h2");
    expect(layers[1].quantities).toEqual(variables.map((v) => `${v.name}: ${v.value}`));
    await expect(dc.customRequest("nnet/other")).rejects.toThrow("unknown request 'nnet/other'");
    // a layer's name in a hover is left to the editor's layer hover; elsewhere it is the layer's a
    await expect(evaluate(dc, "h2", "hover")).rejects.toThrow("'h2' is a layer: its hover shows the formula and live values");
    expect(await evaluate(dc, "h2")).toBe(await evaluate(dc, "a.h2"));
    expect(await evaluate(dc, "norm(h2)", "hover")).toBe(await evaluate(dc, "norm(a.h2)"));
  });
});
