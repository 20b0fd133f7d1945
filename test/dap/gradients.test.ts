/**
 * Every quantity the debugger shows at every point of a training step equals
 * what the engine's own computeGradients gives on the same batch and
 * weights, bit for bit; quantities a point has not reached yet are refused;
 * the update equals one optimizer step from those gradients.
 */
import type { DebugClient } from "@vscode/debugadapter-testsupport";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  computeGradients, createNetwork, createOptimizer, fromRows, lastCaches, toRows, type Matrix, type Network,
} from "../../server/src/engine/index";
import { loadProgram, type Program } from "../../server/src/dap/index";
import { bundledCli, evaluate, exact, example, fixture, launchAndStop, startClient, stepWith, topFrame } from "./client";

const cli = bundledCli();
let dc: DebugClient;
// the reference below multiplies with the engine's default kernel here; the adapter's agreement with
// nnet train's own kernel (fused multiply-add where it exists) is held by state and debugging tests
beforeEach(async () => { dc = await startClient(cli, { NNET_KERNEL: "wasm-simd-4x4" }); });
afterEach(async () => { await dc.stop(); });

function programOf(path: string): Program {
  const loaded = loadProgram({ program: path });
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.program;
}

const rows = (m: Matrix): number[][] => toRows(m);
const columnRows = (v: Float64Array): number[][] => Array.from(v, (x) => [x]);

/** A network with the weights the adapter shows, run by computeGradients on the batch it shows. */
async function reference(program: Program): Promise<{ network: Network; loss: number }> {
  const network = createNetwork(program.config.spec, { seed: 12345 });
  for (const d of network.dense) {
    d.weights.data.set((await exact(dc, `W.${d.name}`) as number[][]).flat());
    d.bias.set((await exact(dc, `b.${d.name}`) as number[][]).flat());
  }
  const x = fromRows(await exact(dc, "x") as number[][]);
  const y = fromRows(await exact(dc, "y") as number[][]);
  return { network, loss: computeGradients(network, x, y) };
}

// What the point named by the top frame has just computed, as expressions and the reference's values.
function computedAt(frame: string, network: Network, loss: number): [string, number[][] | number][] {
  const caches = lastCaches(network);
  const match = /^(z|a|BP1|BP2|BP3\/BP4|δ = 0) at (\S+)$/.exec(frame);
  if (frame === "loss C") return [["C", loss]];
  if (!match) return [];
  const [, what, layer] = match;
  const index = network.nodes.findIndex((n) => n.name === layer);
  const cache = caches[index];
  const node = network.nodes[index];
  switch (what) {
    case "z": return [[`z.${layer}`, rows(cache.z as Matrix)]];
    case "a": return [[`a.${layer}`, rows(cache.a)]];
    case "BP3/BP4":
      if (node.kind !== "dense") return [];
      return [[`dW.${layer}`, rows(node.weightGradient)], [`db.${layer}`, columnRows(node.biasGradient)]];
    default: return [[`delta.${layer}`, rows(cache.delta as Matrix)]];
  }
}

async function checkStep(program: Program, startAt: number): Promise<Network> {
  await launchAndStop(dc, { program: program.path, startAt });
  const { network, loss } = await reference(program);
  const checked: string[] = [];
  for (;;) {
    const frame = (await topFrame(dc)).name;
    if (frame.startsWith("update")) break;
    for (const [expression, expected] of computedAt(frame, network, loss)) {
      expect(await exact(dc, expression), `${expression} at ${frame}`).toEqual(expected);
      checked.push(expression);
    }
    await stepWith(dc, dc.nextRequest({ threadId: 1 }));
  }
  // every quantity of every layer was compared once, at the point that computes it
  const expected = network.nodes.slice(1).flatMap((n) => n.kind === "dense"
    ? [`z.${n.name}`, `a.${n.name}`, `delta.${n.name}`, `dW.${n.name}`, `db.${n.name}`]
    : [`a.${n.name}`, `delta.${n.name}`]);
  expect(checked.sort()).toEqual([...expected, "C"].sort());
  return network;
}

describe("the adapter's numbers are the engine's", () => {
  it("on a DAG with add and concat (residual.nnet), four steps into training", async () => {
    await checkStep(programOf(example("residual.nnet")), 4);
  });

  it("on a chain, with the update equal to one optimizer step from those gradients", async () => {
    const program = programOf(fixture("tiny.nnet"));
    const network = await checkStep(program, 0);
    const train = program.config.train;
    createOptimizer(network, train.optimizer, train.l2).step(false);
    for (const d of network.dense) {
      expect(await exact(dc, `W.${d.name}`)).toEqual(rows(d.weights));
      expect(await exact(dc, `b.${d.name}`)).toEqual(columnRows(d.bias));
    }
  });

  it("refuses what the point has not computed yet", async () => {
    await launchAndStop(dc, { program: fixture("tiny.nnet") });
    await stepWith(dc, dc.nextRequest({ threadId: 1 })); // z at h1
    await expect(evaluate(dc, "a.h1")).rejects.toThrow("a.h1: not yet computed in this step (a at h1 computes it)");
    await expect(evaluate(dc, "C")).rejects.toThrow("C is not yet computed in this step (loss C computes it)");
    await expect(evaluate(dc, "dW.out")).rejects.toThrow("dW.out: not yet computed in this step (BP3/BP4 at out computes it)");
  });
});
