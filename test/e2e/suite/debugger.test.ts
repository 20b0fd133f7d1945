import * as assert from "node:assert/strict";
import { suite, suiteSetup, teardown, test } from "mocha";
import * as vscode from "vscode";
import { closeAllEditors, extension, openWorkspaceFile } from "./workspace";

interface Stopped {
  session: vscode.DebugSession;
  reason: string;
}

/** The adapter's stopped events, in order, as the editor receives them. */
class StopWatcher {
  private readonly waiting: ((stop: Stopped) => void)[] = [];
  private readonly queued: Stopped[] = [];
  readonly registration = vscode.debug.registerDebugAdapterTrackerFactory("nnet", {
    createDebugAdapterTracker: (session) => ({
      onDidSendMessage: (message: { type?: string; event?: string; body?: { reason?: string } }) => {
        if (message.type !== "event" || message.event !== "stopped") return;
        const stop = { session, reason: message.body?.reason ?? "" };
        const resolve = this.waiting.shift();
        if (resolve) resolve(stop);
        else this.queued.push(stop);
      },
    }),
  });

  next(): Promise<Stopped> {
    const queued = this.queued.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => this.waiting.push(resolve));
  }
}

async function topFrame(session: vscode.DebugSession): Promise<{ id: number; line: number; name: string }> {
  const { threads } = await session.customRequest("threads");
  const { stackFrames } = await session.customRequest("stackTrace", { threadId: threads[0].id });
  return stackFrames[0];
}

/**
 * The debugger as a user meets it: F5 on a .nnet file with no launch.json
 * stops at the input, a conditional breakpoint on a layer stops in the
 * backward pass, the Variables show that layer's δ with its shape and norm,
 * and Step Over moves the current line.
 */
suite("the backpropagation debugger", function () {
  this.timeout(120_000);
  let watcher: StopWatcher;

  suiteSetup(async () => {
    watcher = new StopWatcher();
    assert.equal(await extension().activate().then(() => extension().exports.ready), true);
  });
  teardown(async () => {
    // the session's last stop may still open its source: close the editors only once it has ended
    const ended = vscode.debug.activeDebugSession
      ? new Promise<void>((resolve) => { const done = vscode.debug.onDidTerminateDebugSession(() => { done.dispose(); resolve(); }); })
      : Promise.resolve();
    await vscode.debug.stopDebugging();
    await ended;
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await closeAllEditors();
  });

  test("F5 stops at the input; a conditional breakpoint on h1 stops at its δ; Step Over moves the line", async () => {
    const editor = await openWorkspaceFile("spiral.nnet");
    const h1 = editor.document.getText().split("\n").findIndex((line) => line.includes("layer h1:"));
    editor.selection = new vscode.Selection(h1, 4, h1, 4);
    await vscode.commands.executeCommand("workbench.action.debug.start");
    const entry = await watcher.next();
    assert.equal(entry.reason, "entry");
    const input = await topFrame(entry.session);
    assert.equal(input.line, editor.document.getText().split("\n").findIndex((line) => line.includes("input x")) + 1);

    // forward passes h1 first, where δ is not computed yet: the condition is false there
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(editor.document.uri, new vscode.Position(h1, 0)), true, "norm(delta.h1) > 0")]);
    await entry.session.customRequest("continue", { threadId: 1 });
    const atH1 = await watcher.next();
    assert.equal(atH1.reason, "breakpoint");
    const frame = await topFrame(atH1.session);
    assert.equal(frame.line, h1 + 1);
    assert.match(frame.name, /h1/);
    const { scopes } = await atH1.session.customRequest("scopes", { frameId: frame.id });
    const layer = scopes.find((scope: { name: string }) => scope.name === "Layer h1");
    assert.ok(layer, `no scope for h1 in ${scopes.map((s: { name: string }) => s.name).join(", ")}`);
    const { variables } = await atH1.session.customRequest("variables", { variablesReference: layer.variablesReference });
    const delta = variables.find((v: { name: string }) => v.name === "δ");
    assert.match(delta?.value ?? "", /ℝ¹⁶ˣ¹⁶ ‖·‖ = \d/);

    // each Step Over is the algorithm's next point: BP3/BP4 of h1 on the same line, then a point on another line
    const seen = [frame];
    while (seen.length < 6 && seen[seen.length - 1].line === frame.line) {
      await atH1.session.customRequest("next", { threadId: 1 });
      const stepped = await watcher.next();
      assert.equal(stepped.reason, "step");
      seen.push(await topFrame(stepped.session));
    }
    assert.notEqual(seen[1].name, seen[0].name, "Step Over stayed at the same point");
    assert.notEqual(seen[seen.length - 1].line, frame.line, `Step Over never left h1's line: ${seen.map((f) => f.name).join(" → ")}`);
  });

  test("while stopped, layer lines carry ‖δ‖ and ‖∂C/∂W‖ inline, and a layer's hover shows its live values under the formula", async () => {
    const editor = await openWorkspaceFile("spiral.nnet");
    const lines = editor.document.getText().split("\n");
    const h1 = lines.findIndex((line) => line.includes("layer h1:"));
    const h2 = lines.findIndex((line) => line.includes("layer h2:"));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(editor.document.uri, new vscode.Position(h1, 0)), true, "norm(delta.h1) > 0")]);
    await vscode.commands.executeCommand("workbench.action.debug.start");
    const entry = await watcher.next();
    assert.equal(entry.reason, "entry");
    await entry.session.customRequest("continue", { threadId: 1 });
    const stop = await watcher.next();
    assert.equal(stop.reason, "breakpoint");
    const frame = await topFrame(stop.session);
    assert.equal(frame.name, "BP2 at h1");
    const norm = async (expression: string): Promise<string> => {
      const { result } = await stop.session.customRequest("evaluate", { expression, frameId: frame.id, context: "watch" });
      return String(Number(Number(result).toPrecision(4)));
    };

    const document = editor.document;
    const values = await vscode.commands.executeCommand<vscode.InlineValue[]>("vscode.executeInlineValueProvider", document.uri,
      new vscode.Range(0, 0, document.lineCount, 0), { frameId: frame.id, stoppedLocation: document.lineAt(h1).range });
    const inline = new Map(values.map((value) => [value.range.start.line, (value as vscode.InlineValueText).text]));
    // backward has reached h1 (its δ) after h2 (its δ and gradients)
    assert.equal(inline.get(h1), `‖a‖ = ${await norm("norm(a.h1)")}  ‖δ‖ = ${await norm("norm(delta.h1)")}`);
    assert.equal(inline.get(h2), `‖a‖ = ${await norm("norm(a.h2)")}  ‖δ‖ = ${await norm("norm(delta.h2)")}  ‖∂C/∂W‖ = ${await norm("norm(dW.h2)")}`);

    const name = document.lineAt(h1).text.indexOf("h1");
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", document.uri, new vscode.Position(h1, name + 1));
    const texts = hovers.map((hover) => hover.contents.map((part) => (typeof part === "string" ? part : part.value)).join("\n"));
    const formula = texts.findIndex((text) => /BP2/.test(text) && !/Live values/.test(text));
    const live = texts.findIndex((text) => /Live values/.test(text));
    assert.ok(formula >= 0, `no formula hover among: ${texts.join(" | ")}`);
    assert.ok(live > formula, `the live values are not under the formula: ${texts.join(" | ")}`);
    assert.match(texts[live], /at BP2 at h1, step 1 of epoch 1/);
    assert.match(texts[live], /δ: ℝ¹⁶ˣ¹⁶ ‖·‖ = \d/);
    assert.match(texts[live], /∂C\/∂W: not yet computed in this step \(BP3\/BP4 at h1 computes it\)/);

    // the Watch reads the hover's BP2 by name: the same tree, over the batch, and it equals δ
    assert.match(texts[formula], /δʰ¹ = \(\(Wʰ²\)ᵀ δʰ²\) ⊙ tanh′\(zʰ¹\)/);
    const bp2 = await stop.session.customRequest("evaluate", { expression: "bp2.h1", frameId: frame.id, context: "watch" });
    assert.equal(bp2.type, "((Wʰ²)ᵀ Δʰ²) ⊙ tanh′(Zʰ¹)");
    assert.match(bp2.result, /^BP2: Δʰ¹ = \(\(Wʰ²\)ᵀ Δʰ²\) ⊙ tanh′\(Zʰ¹\) · ℝ¹⁶ˣ¹⁶ ‖·‖ = \d/);
    const check = await stop.session.customRequest("evaluate", { expression: "delta.h1 - bp2.h1", frameId: frame.id, context: "watch" });
    assert.equal(check.result, "ℝ¹⁶ˣ¹⁶ ‖·‖ = 0 (every entry is 0)");
  });
});
