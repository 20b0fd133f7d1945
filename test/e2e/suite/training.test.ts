import * as assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { suite, suiteSetup, suiteTeardown, teardown, test } from "mocha";
import * as vscode from "vscode";
import type { DoneParams, JobStarted } from "../../../server/src/protocol";
import {
  closeAllEditors, codeOf, extension, hoverText, openWorkspaceFile, positionOf, whenDiagnostics, whenTrue, writeWorkspaceFile,
} from "./workspace";

const config = () => vscode.workspace.getConfiguration("nnet");

/** Runs a command that starts a job and waits for its nnet/done. */
async function runJob(command: "nnet.train" | "nnet.gradcheck", arg: unknown, timeoutMs = 60_000): Promise<{ started: JobStarted; done: DoneParams }> {
  const started = await vscode.commands.executeCommand<JobStarted | undefined>(command, arg);
  assert.ok(started, `${command} started no job (see the NNet Lab output)`);
  const done = await Promise.race([
    extension().exports.jobs.finished(started.jobId),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${started.jobId} did not finish within ${timeoutMs / 1000} s`)), timeoutMs)),
  ]);
  return { started, done };
}

const lensArgument = (editor: vscode.TextEditor, network: string) => ({ uri: editor.document.uri.toString(), network });

function diagnosticsWithCode(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === code);
}

const panelTab = (): vscode.Tab | undefined => vscode.window.tabGroups.all
  .flatMap((group) => group.tabs)
  .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith("nnet.trainingPanel"));

async function assertPanelOpen(): Promise<void> {
  const labels = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).map((tab) => tab.label).join(", ");
  await whenTrue(vscode.window.tabGroups.onDidChangeTabs, () => panelTab() !== undefined, "the training panel is open", 5_000).catch(() => assert.fail(`no training panel among ${labels()}`));
  assert.equal(panelTab()!.label, "NNet Training");
}

/** Training and gradient checks started from the editor, and what they leave in it. */
suite("training from the editor", function () {
  this.timeout(90_000);

  suiteSetup(async () => {
    await openWorkspaceFile("xor.nnet");
    assert.equal(await extension().exports.ready, true, "the language server did not start");
  });
  teardown(closeAllEditors);
  suiteTeardown(async () => {
    for (const key of ["train.maxEpochs", "train.threads", "gradcheck.epsilon", "panel.openOnTrain"]) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test("Train Model on xor.nnet runs to the end, the loss falls and the training panel opens", async () => {
    const editor = await openWorkspaceFile("xor.nnet");
    const { started, done } = await runJob("nnet.train", lensArgument(editor, "xor"));
    assert.equal(started.network, "xor");
    assert.equal(started.epochs, 500);
    assert.equal(done.status, "completed", done.message);
    const history = done.history ?? [];
    assert.equal(history.length, 500);
    assert.ok(history[history.length - 1]!.loss < history[0]!.loss / 5, `loss ${history[0]!.loss} → ${history[history.length - 1]!.loss}`);
    assert.deepEqual(history[0]!.layers.map((layer) => layer.layer).sort(), ["hidden", "out"]);
    await assertPanelOpen();
  });

  test("after the run, hovers and inlay hints show the last run's gradient norms", async () => {
    const editor = await openWorkspaceFile("xor.nnet");
    const uri = editor.document.uri;
    const jobs = extension().exports.jobs;
    await whenTrue(jobs.onDidFinish, () => jobs.last()?.done?.status === "completed", "a finished xor run", 60_000);
    const text = await hoverText(uri, positionOf(editor.document, "hidden: dense"));
    assert.match(text, /last train, completed, epoch 500 of 500/);
    assert.match(text, /‖∂C\/∂Wʰⁱᵈᵈᵉⁿ‖ = [0-9.e-]+/);
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
      "vscode.executeInlayHintProvider", uri, new vscode.Range(0, 0, editor.document.lineCount, 0),
    );
    const labels = hints.map((hint) => (typeof hint.label === "string" ? hint.label : hint.label.map((part) => part.value).join("")));
    assert.ok(labels.some((label) => /^∇ [0-9.e-]+$/.test(label)), `inlay hints: ${JSON.stringify(labels)}`);
  });

  test("Run Gradient Check on xor passes for every layer", async () => {
    const editor = await openWorkspaceFile("xor.nnet");
    const { started, done } = await runJob("nnet.gradcheck", lensArgument(editor, "xor"));
    assert.equal(started.epochs, 0);
    assert.equal(done.status, "completed", done.message);
    const report = done.gradcheck;
    assert.ok(report, "the done notification carries the report");
    assert.equal(report.passed, true, JSON.stringify(report.rows));
    assert.equal(report.tolerance, 1e-5);
    assert.deepEqual(report.rows.map((row) => `${row.layer}.${row.param}`).sort(), ["hidden.W", "hidden.b", "out.W", "out.b"]);
    for (const row of report.rows) assert.ok(row.maxRelError < 1e-5, `${row.layer}.${row.param}: ${row.maxRelError}`);
    assert.deepEqual(diagnosticsWithCode(editor.document.uri, "nnet/gradcheck-failed"), []);
  });

  test("a step ε too coarse for central differences fails the check: warnings on the layers, gone after an edit", async () => {
    // With ε = 0.5 the O(ε²) truncation error of (C(θ+ε) − C(θ−ε)) / 2ε is far above the 1e-5 tolerance.
    await config().update("gradcheck.epsilon", 0.5, vscode.ConfigurationTarget.Global);
    const editor = await openWorkspaceFile("xor.nnet");
    const uri = editor.document.uri;
    const { done } = await runJob("nnet.gradcheck", lensArgument(editor, "xor"));
    await config().update("gradcheck.epsilon", undefined, vscode.ConfigurationTarget.Global);
    assert.equal(done.gradcheck?.epsilon, 0.5, "the setting overrides the file's epsilon");
    assert.equal(done.gradcheck?.passed, false, JSON.stringify(done.gradcheck?.rows));
    await whenDiagnostics(uri, () => diagnosticsWithCode(uri, "nnet/gradcheck-failed").length > 0, "gradcheck-failed warnings");
    const failed = diagnosticsWithCode(uri, "nnet/gradcheck-failed");
    assert.ok(failed.every((d) => d.severity === vscode.DiagnosticSeverity.Warning));
    assert.ok(failed.every((d) => ["hidden", "out"].includes(editor.document.getText(d.range))), "on the failing layers' names");
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), "// edited\n")));
    await whenDiagnostics(uri, () => diagnosticsWithCode(uri, "nnet/gradcheck-failed").length === 0, "the warnings clear with the edit");
  });

  test("nnet.train.maxEpochs caps the epochs of a run", async () => {
    await config().update("train.maxEpochs", 7, vscode.ConfigurationTarget.Global);
    const editor = await openWorkspaceFile("spiral.nnet");
    const { started, done } = await runJob("nnet.train", lensArgument(editor, "spiral"));
    await config().update("train.maxEpochs", undefined, vscode.ConfigurationTarget.Global);
    assert.equal(started.epochs, 7);
    assert.equal(done.status, "completed", done.message);
    assert.equal(done.history?.length, 7);
  });

  test("nnet.train.threads reaches the run: 0 is refused, 2 trains", async () => {
    const editor = await openWorkspaceFile("spiral.nnet");
    await config().update("train.threads", 0, vscode.ConfigurationTarget.Global);
    const refused = await vscode.commands.executeCommand<JobStarted | undefined>("nnet.train", lensArgument(editor, "spiral"));
    assert.equal(refused, undefined, "a thread count of 0 starts nothing");
    await config().update("train.threads", 2, vscode.ConfigurationTarget.Global);
    await config().update("train.maxEpochs", 3, vscode.ConfigurationTarget.Global);
    const { started, done } = await runJob("nnet.train", lensArgument(editor, "spiral"));
    await config().update("train.threads", undefined, vscode.ConfigurationTarget.Global);
    await config().update("train.maxEpochs", undefined, vscode.ConfigurationTarget.Global);
    assert.equal(started.epochs, 3);
    assert.equal(done.status, "completed", done.message);
  });

  test("nnet.train.threads above the cores warns once, with a way to the setting, and the run trains", async () => {
    const editor = await openWorkspaceFile("spiral.nnet");
    const cores = availableParallelism();
    await config().update("train.threads", cores + 1, vscode.ConfigurationTarget.Global);
    await config().update("train.maxEpochs", 2, vscode.ConfigurationTarget.Global);
    const warnings: string[] = [];
    const subscription = extension().exports.notices.onDidShow((notice) => {
      if (notice.severity === "warning") warnings.push(`${notice.message} [${notice.actions.join(", ")}]`);
    });
    try {
      const first = await runJob("nnet.train", lensArgument(editor, "spiral"));
      assert.equal(first.done.status, "completed", first.done.message);
      const second = await runJob("nnet.train", lensArgument(editor, "spiral"));
      assert.equal(second.done.status, "completed", second.done.message);
    } finally {
      subscription.dispose();
      await config().update("train.threads", undefined, vscode.ConfigurationTarget.Global);
      await config().update("train.maxEpochs", undefined, vscode.ConfigurationTarget.Global);
    }
    // shown as the first run started, not again for the second
    assert.deepEqual(warnings, [
      `NNet: nnet.train.threads is ${cores + 1}, more than the ${cores} core${cores === 1 ? "" : "s"} the editor may use; the extra threads wait for a core, so training is slower than with ${cores}. [Open Settings]`,
    ]);
  });

  test("Stop Training stops a running job and the run reports it was cancelled", async () => {
    await config().update("panel.openOnTrain", false, vscode.ConfigurationTarget.Global);
    const editor = await writeWorkspaceFile("long.nnet", [
      "network long {", "  input x: 2", "  layer h: dense 32 tanh", "  layer out: dense 1 sigmoid", "  loss bce",
      "  data spiral(samples: 400, noise: 0.1)", "  train { epochs 100000, batch 8 }", "}", "",
    ].join("\n"));
    const started = await vscode.commands.executeCommand<JobStarted>("nnet.train", lensArgument(editor, "long"));
    assert.ok(started);
    const jobs = extension().exports.jobs;
    await whenTrue(jobs.onDidProgress, () => (jobs.running().find((job) => job.jobId === started.jobId)?.latest?.epoch ?? 0) >= 2, "a few epochs", 30_000);
    const stopped = await vscode.commands.executeCommand<number>("nnet.stop");
    assert.equal(stopped, 1);
    const done = await jobs.finished(started.jobId);
    assert.equal(done.status, "cancelled");
    assert.ok((done.history?.length ?? 0) < 100_000);
    assert.equal(jobs.running().length, 0);
    assert.equal(panelTab(), undefined, "with nnet.panel.openOnTrain off, no panel opens");
    await vscode.commands.executeCommand("nnet.openPanel");
    await assertPanelOpen();
  });

  test("a diverging run fails with a message naming the layer and the line to go to", async () => {
    const editor = await writeWorkspaceFile("diverge.nnet", [
      "network diverge {", "  input x: 1", "  layer h: dense 16 relu", "  layer out: dense 1", "  loss mse",
      "  data sine(samples: 64, noise: 0)", "  train { optimizer sgd(lr: 1000), epochs 200, batch full }", "}", "",
    ].join("\n"));
    const { done } = await runJob("nnet.train", lensArgument(editor, "diverge"));
    assert.equal(done.status, "failed");
    assert.match(done.message ?? "", /diverged/);
    assert.ok(done.line !== undefined, "the failure points at a line");
    assert.match(editor.document.lineAt(done.line).text, /layer (h|out):/, `line ${done.line} is a layer's declaration`);
  });

  test("many sigmoid layers: the run's vanishing gradients become an information diagnostic", async () => {
    const layers = ["h1", "h2", "h3", "h4", "h5", "h6", "h7"].map((name) => `  layer ${name}: dense 8 sigmoid`);
    const editor = await writeWorkspaceFile("deep.nnet", [
      "network deep {", "  input x: 2", ...layers, "  layer out: dense 1 sigmoid", "  loss bce", "  data xor",
      "  train { epochs 3, batch full }", "}", "",
    ].join("\n"));
    const uri = editor.document.uri;
    const { done } = await runJob("nnet.train", lensArgument(editor, "deep"));
    assert.equal(done.status, "completed", done.message);
    const code = "nnet/vanishing-gradients-observed";
    await whenDiagnostics(uri, () => diagnosticsWithCode(uri, code).length > 0, "the vanishing-gradient diagnostic");
    const [found] = diagnosticsWithCode(uri, code);
    assert.equal(found!.severity, vscode.DiagnosticSeverity.Information);
    assert.equal(editor.document.getText(found!.range), "h1");
  });

  test("a file that cannot be trained starts no job", async () => {
    const editor = await writeWorkspaceFile("nodata.nnet", [
      "network nodata {", "  input x: 2", "  layer out: dense 1 sigmoid", "  loss bce", '  data csv("missing.csv", target: "y")', "}", "",
    ].join("\n"));
    const before = extension().exports.jobs.last()?.jobId;
    const started = await vscode.commands.executeCommand<JobStarted | undefined>("nnet.train", lensArgument(editor, "nodata"));
    assert.equal(started, undefined);
    assert.equal(extension().exports.jobs.last()?.jobId, before);
  });
});
