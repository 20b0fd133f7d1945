/**
 * The hover's equations by name in the Debug Console, over the real `nnet
 * dap` process: bp1, bp2.…, bp3.…, bp4.… evaluate the very trees the hover
 * shows (layerDeltas, batched form) and give the engine's δ, ∂C/∂b and ∂C/∂W
 * bit for bit at every point of the backward pass, on a DAG (add, concat), a
 * dropout network with softmax + cross-entropy, at full and power-of-two
 * batches; they render as the hover does, and a wrong name is explained
 * without ending the session. Every wait is on a DAP event or response.
 */
import { readFileSync } from "node:fs";
import type { DebugClient } from "@vscode/debugadapter-testsupport";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadProgram } from "../../server/src/dap/index";
import { batched, layerDeltas, renderExpr, renderPlain } from "../../server/src/language/index";
import * as ide from "../../server/src/language/ide/index";
import { bundledCli, evaluate, exact, example, launchAndStop, startClient, stepWith, topFrame, type Launch } from "./client";

const residual = example("residual.nnet");
const dropout = example("iris-dropout.nnet");

let dc: DebugClient;
beforeEach(async () => { dc = await startClient(bundledCli()); });
afterEach(async () => { await dc.stop(); });

const next = (): Promise<unknown> => stepWith(dc, dc.nextRequest({ threadId: 1 }));
const specOf = (path: string) => {
  const loaded = loadProgram({ program: path });
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.program.config.spec;
};
const entries = (value: unknown): number[] => (typeof value === "number" ? [value] : (value as number[][]).flat());
const norm = (value: unknown): number => Math.hypot(...entries(value));

/** What the engine computed at a point, and the equation that states it. */
function equationsAt(frame: string, output: string): [string, string][] {
  const match = /^(BP1|BP2|BP3\/BP4) at (\S+)$/.exec(frame);
  if (!match) return [];
  const [, rule, layer] = match;
  if (rule === "BP3/BP4") return [[`db.${layer}`, `bp3.${layer}`], [`dW.${layer}`, `bp4.${layer}`]];
  return [[`delta.${layer}`, layer === output ? "bp1" : `bp2.${layer}`]];
}

/** Steps through one training step's backward pass, checking each equation against what the engine computed, bit for bit. */
async function checkBackward(launch: Launch, output: string, early: Record<string, string>): Promise<string[]> {
  await launchAndStop(dc, launch);
  const checked: string[] = [];
  // the equation of the next δ, read before the engine computes it
  let ahead: { name: string; value: unknown } | undefined;
  for (let i = 0; i < 80; i++) {
    const frame = (await topFrame(dc)).name;
    if (frame.startsWith("update")) break;
    if (ahead && frame === `BP2 at ${ahead.name.slice(4)}`) {
      expect(await exact(dc, `delta.${ahead.name.slice(4)}`), `${ahead.name} read one point early`).toEqual(ahead.value);
      checked.push(`${ahead.name} ahead`);
    }
    for (const [engine, equation] of equationsAt(frame, output)) {
      const value = await exact(dc, equation);
      expect(norm(value), `${equation} at ${frame}`).toBeGreaterThan(0);
      expect(value, `${equation} at ${frame}`).toEqual(await exact(dc, engine));
      expect(entries(await exact(dc, `${engine} - ${equation}`)).every((x) => x === 0), `${engine} - ${equation} at ${frame}`).toBe(true);
      checked.push(equation);
    }
    // δ of the layer the backward pass reaches next, from what is already computed
    const following = early[frame];
    ahead = following ? { name: following, value: await exact(dc, following) } : undefined;
    await next();
  }
  return checked;
}

describe("bp1…bp4 in the Debug Console are the hover's equations", () => {
  it("on a DAG with add and concat (residual.nnet, all 320 examples, after two steps): the engine's numbers bit for bit", async () => {
    const checked = await checkBackward({ program: residual, batch: "full", startAt: 2 }, "out", {
      "BP3/BP4 at h3": "bp2.h2", "BP3/BP4 at h2": "bp2.h1",
    });
    expect(checked).toEqual([
      "bp1", "bp3.out", "bp4.out", "bp2.wide", "bp2.skip", "bp2.h3", "bp3.h3", "bp4.h3",
      "bp2.h2 ahead", "bp2.h2", "bp3.h2", "bp4.h2", "bp2.h1 ahead", "bp2.h1", "bp3.h1", "bp4.h1",
    ]);
  });

  it("through dropout to a softmax + cross-entropy output (iris-dropout.nnet, a batch of 16, at the first step)", async () => {
    const checked = await checkBackward({ program: dropout }, "species", { "BP3/BP4 at h2": "bp2.d1", "BP2 at d1": "bp2.h1" });
    expect(checked).toEqual([
      "bp1", "bp3.species", "bp4.species", "bp2.h2", "bp3.h2", "bp4.h2", "bp2.d1 ahead", "bp2.d1", "bp2.h1 ahead", "bp2.h1", "bp3.h1", "bp4.h1",
    ]);
  });

  it("writes each equation out as the layer's hover does", async () => {
    const spec = specOf(residual);
    const text = readFileSync(residual, "utf8");
    const hover = ide.hover(ide.analyzeDocument({ uri: "file:///residual.nnet", version: 1, text }), text.indexOf("h1:"))!.markdown;
    const h1 = layerDeltas(spec, "h1")!;
    await launchAndStop(dc, { program: residual, startAt: 1 });
    for (let i = 0; i < 60 && (await topFrame(dc)).name !== "BP3/BP4 at h1"; i++) await next();

    // BP2: the hover states it for one example, the console evaluates the same tree over the batch
    expect(hover).toContain(`δʰ¹ = ${renderExpr(h1.delta)}`);
    const bp2 = (await dc.evaluateRequest({ expression: "bp2.h1", context: "repl", frameId: 1 })).body;
    expect(bp2.type).toBe(renderPlain(batched(h1.delta)));
    expect(bp2.type).toBe("((Wʰ²)ᵀ Δʰ² + Δˢᵏⁱᵖ) ⊙ relu′(Zʰ¹)");
    expect(bp2.result).toMatch(/^BP2: Δʰ¹ = \(\(Wʰ²\)ᵀ Δʰ² \+ Δˢᵏⁱᵖ\) ⊙ relu′\(Zʰ¹\) · ℝ¹⁶ˣ³² ‖·‖ = \d/);
    // BP3 and BP4: the hover's batched forms, character for character
    for (const [name, symbol, tree] of [["bp3.h1", "∂C/∂bʰ¹", h1.bp3!.batched], ["bp4.h1", "∂C/∂Wʰ¹", h1.bp4!.batched]] as const) {
      expect(hover).toContain(`batch of m: ${symbol} = ${renderExpr(tree)}`);
      const body = (await dc.evaluateRequest({ expression: name, context: "watch", frameId: 1 })).body;
      expect(body.result.startsWith(`BP${name[2]}: ${symbol} = ${renderExpr(tree)} · ℝ`), body.result).toBe(true);
    }
    // any expression carries its formula in the hover's notation
    const seed = (await dc.evaluateRequest({ expression: "(W.h2' * delta.h2 + delta.skip) .* drelu(z.h1) - delta.h1", context: "repl", frameId: 1 })).body;
    expect(seed.type).toBe("((Wʰ²)ᵀ Δʰ² + Δˢᵏⁱᵖ) ⊙ relu′(Zʰ¹) − Δʰ¹");
    expect(seed.result).toBe("ℝ¹⁶ˣ³² ‖·‖ = 0 (every entry is 0)");
    expect(await evaluate(dc, "delta.h1 - bp2.h1")).toBe("ℝ¹⁶ˣ³² ‖·‖ = 0 (every entry is 0)");
  });

  it("stops on a condition over an equation, and offers the equations among the completions", async () => {
    const text = readFileSync(residual, "utf8");
    const line = text.split("\n").findIndex((l) => l.includes("layer h1:")) + 1;
    // at forward's entry δʰ¹ is not computed, so the condition is false there; backward stops
    await launchAndStop(dc, { program: residual, stopOnEntry: false }, [{ line, condition: "norm(delta.h1 - bp2.h1) == 0 && norm(bp2.h1) > 0" }]);
    expect((await topFrame(dc)).name).toBe("BP2 at h1");
    const labels = (await dc.completionsRequest({ text: "bp", column: 3, frameId: 1 })).body.targets.map((t) => t.label);
    expect(labels).toEqual(expect.arrayContaining(["bp1", "bp2.h1", "bp2.skip", "bp2.wide", "bp3.h1", "bp4.out"]));
    expect(labels).not.toContain("bp3.skip");
    expect(labels).not.toContain("bp2.out");
  });

  it("explains a wrong equation name, or one whose quantities are not yet computed, and the session goes on", async () => {
    await launchAndStop(dc, { program: residual });
    await expect(evaluate(dc, "bp2.h9")).rejects.toThrow("bp2.h9: no layer named 'h9'; did you mean 'h1'?");
    await expect(evaluate(dc, "norm(bp3.skip)")).rejects.toThrow("bp3.skip: add layer 'skip' has no parameters, so no BP3 (∂C/∂b); its δ is bp2.skip");
    await expect(evaluate(dc, "bp2.out")).rejects.toThrow("bp2.out: 'out' is the output layer, whose δ is given by BP1: write bp1");
    await expect(evaluate(dc, "bp2.h1")).rejects.toThrow(/^(delta|z)\.\S+: not yet computed in this step \(/);
    await expect(evaluate(dc, "bp1")).rejects.toThrow("a.out: not yet computed in this step (a at out computes it)");
    for (let i = 0; i < 60 && (await topFrame(dc)).name !== "BP1 at out"; i++) await next();
    expect(await evaluate(dc, "delta.out - bp1")).toBe("ℝ¹ˣ³² ‖·‖ = 0 (every entry is 0)");
  });
});
