import * as assert from "node:assert/strict";
import { suite, suiteSetup, suiteTeardown, teardown, test } from "mocha";
import * as vscode from "vscode";
import type { DoneParams, JobStarted } from "../../../server/src/protocol";
import { closeAllEditors, extension, nextEvent, whenTrue, writeWorkspaceFile } from "./workspace";

const config = () => vscode.workspace.getConfiguration("nnet");

const ring = (lr: number, epochs = 30) => `network ring {
  input x: 2
  layer h: dense 8 tanh
  layer out: dense 1 sigmoid
  loss binary_cross_entropy
  data circles(samples: 80)
  train { epochs ${epochs}, optimizer sgd(lr: ${lr}), seed 3 }
}
`;

const panelTab = (): vscode.Tab | undefined => vscode.window.tabGroups.all
  .flatMap((group) => group.tabs)
  .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith("nnet.trainingPanel"));

async function train(editor: vscode.TextEditor): Promise<{ started: JobStarted; done: DoneParams }> {
  const started = await vscode.commands.executeCommand<JobStarted | undefined>("nnet.train", { uri: editor.document.uri.toString() });
  assert.ok(started, "nnet.train started no job (see the NNet Lab output)");
  return { started, done: await extension().exports.jobs.finished(started.jobId) };
}

/** Puts another editor over the panel in the panel's own group, and the focus back in `editor`. */
async function hidePanel(editor: vscode.TextEditor): Promise<void> {
  // the panel's tab appears once the webview is created, after the command has returned
  await whenTrue(vscode.window.tabGroups.onDidChangeTabs, () => panelTab() !== undefined, "the panel is open");
  const column = panelTab()!.group.viewColumn;
  const cover = await vscode.workspace.openTextDocument({ language: "plaintext", content: "covers the panel" });
  await vscode.window.showTextDocument(cover, { viewColumn: column });
  await whenTrue(vscode.window.tabGroups.onDidChangeTabs, () => panelTab()?.isActive === false, "the panel is behind another tab");
  await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn ?? vscode.ViewColumn.One });
}

/** Runs of the training panel, the notifications about them, and the run history, in the real editor. */
suite("runs, the panel and the run history", function () {
  this.timeout(120_000);

  suiteSetup(async () => {
    // opening a .nnet file activates the extension (when this suite runs alone, nothing has yet)
    await writeWorkspaceFile("reveal.nnet", ring(0.1));
    const api = await extension().activate();
    assert.equal(await api.ready, true, "the language server did not start");
  });
  teardown(closeAllEditors);
  suiteTeardown(() => config().update("panel.openOnTrain", undefined, vscode.ConfigurationTarget.Global));

  test("a run the user starts brings the panel into view without the focus; with openOnTrain off, its end is told with Open Panel", async () => {
    const editor = await writeWorkspaceFile("reveal.nnet", ring(0.1));
    await vscode.commands.executeCommand("nnet.openPanel");
    await hidePanel(editor);
    await train(editor);
    await whenTrue(vscode.window.tabGroups.onDidChangeTabs, () => panelTab()?.isActive === true, "the panel is in view again");
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString(), "the editor keeps the focus");

    await config().update("panel.openOnTrain", false, vscode.ConfigurationTarget.Global);
    await hidePanel(editor);
    const told = nextEvent(extension().exports.notices.onDidShow, (notice) => notice.message.includes("'ring'"), "the end-of-run notification");
    await train(editor);
    const notice = await told;
    assert.equal(notice.severity, "info");
    assert.match(notice.message, /^NNet: Trained 'ring' for 30 epochs: loss /);
    assert.deepEqual(notice.actions, ["Open Panel"]);
    assert.equal(panelTab()?.isActive, false, "the panel stays behind");
  });

  test("the progress notification shows epoch, loss and accuracy as the run goes, up to its last epoch", async () => {
    const editor = await writeWorkspaceFile("progress.nnet", ring(0.1, 400));
    const shown: string[] = [];
    const subscription = extension().exports.jobs.onDidShowProgress(({ message }) => shown.push(message));
    try {
      await train(editor);
    } finally {
      subscription.dispose();
    }
    assert.ok(shown.length >= 2, `progress shown ${shown.length} times`);
    for (const message of shown) assert.match(message, /^epoch \d+\/400 · loss [\d.e-]+ · acc [\d.]+%/);
    assert.match(shown[shown.length - 1]!, /^epoch 400\/400/);
  });

  test("training a file with an error says it as a person would, with Go to Problem", async () => {
    const editor = await writeWorkspaceFile("broken.nnet", ring(0.1).replace("dense 8 tanh", "dense 8 tahn").replace("network ring", "network broken"));
    const told = nextEvent(extension().exports.notices.onDidShow, (notice) => notice.severity === "error", "the error notification");
    const started = await vscode.commands.executeCommand<JobStarted | undefined>("nnet.train", { uri: editor.document.uri.toString() });
    assert.equal(started, undefined);
    const notice = await told;
    assert.match(notice.message, /^'broken' has 1 error: .*'tahn'.* \(line 3\)$/);
    assert.ok(!notice.message.includes("/") && !notice.message.includes("nnet/"), `no path or code prefix: ${notice.message}`);
    assert.deepEqual(notice.actions, ["Go to Problem"]);
  });

  test("two runs with different settings are both listed, overlaid, and what differed is named", async () => {
    const editor = await writeWorkspaceFile("history.nnet", ring(0.1));
    await vscode.commands.executeCommand("nnet.openPanel");
    await train(editor);
    const whole = new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length));
    assert.ok(await editor.edit((edit) => edit.replace(whole, ring(0.3))));
    const listed = nextEvent(extension().exports.panel.onDidListRuns, (runs) => runs.filter((run) => run.network === "ring").length >= 2, "both runs listed");
    await train(editor);
    const runs = (await listed).filter((run) => run.uri === editor.document.uri.toString());
    assert.deepEqual(runs.map((run) => run.settings.lr), ["0.3", "0.1"]);
    assert.deepEqual(runs.map((run) => run.matchesText), [true, false], "the first run says its text no longer matches");
    const difference = await vscode.commands.executeCommand<string | undefined>("nnet.compareRuns", { ids: runs.map((run) => run.id) });
    assert.equal(difference, "lr 0.3 vs 0.1");
    const state = extension().exports.panel.state();
    assert.deepEqual(state?.selected, runs.map((run) => run.id));
    assert.equal(state?.runs?.length, 2);
  });
});
