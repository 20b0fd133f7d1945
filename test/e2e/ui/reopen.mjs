// The run history outlives VS Code: train xor.nnet twice and save the model
// from the panel, close the window and stop code-server, start it again on
// the same profile, workspace and address, open the training panel: both
// runs are listed, the newest is drawn, and its Save Model… writes the same
// model as before the reopen (the same bytes but the time of saving, and the
// same predictions from `nnet predict`).
// Usage: node test/e2e/ui/reopen.mjs (after npm run build); screenshots in test-results/e2e-reopen/.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../lib/code-server.mjs";
import { startEditor } from "./editor.mjs";

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const resultsDir = join(repoRoot, "test-results/e2e-reopen");

/** Train Model from the palette, then wait until the panel lists `count` runs. */
async function train(workbench, count) {
  await workbench.clickWord("hidden");
  await workbench.runCommand("NNet: Train Model");
  const rows = workbench.webview().locator(".runs-card .run-row");
  await rows.nth(count - 1).waitFor({ timeout: 60_000 });
  assert.equal(await rows.count(), count, `the panel lists ${count} run(s)`);
}

/** The panel's Save Model… button, then the save dialog: the offered xor.nnetmodel, or `name` typed over it. */
async function saveFromPanel(workbench, name) {
  await workbench.webview().locator(".run-end-card .save-model:not([disabled])").click();
  const input = ".quick-input-widget .quick-input-box input";
  const offered = await workbench.waitForInputValue(input, /\/xor\.nnetmodel$/);
  await workbench.page.locator(input).fill(offered.replace(/xor\.nnetmodel$/, name));
  await workbench.page.keyboard.press("Enter");
  await workbench.page.locator(".notifications-toasts", { hasText: `NNet: saved 'xor' (500 epochs) to ${name}` }).first().waitFor();
}

/** One window on the profile: open it, run `act`, leave a screenshot, close it. */
async function window(editor, name, act) {
  // a workbench loading on a busy machine can take longer than a step
  const { context, workbench } = await editor.open("reopen", { resultsDir, loadTimeout: 120_000 });
  try {
    await workbench.waitUntilReady();
    await workbench.openFromExplorer("xor.nnet");
    await workbench.focusEditorArea();
    await act(workbench);
  } finally {
    await workbench.screenshot(name).catch(() => {});
    await context.close().catch(() => {});
  }
}

/** A model file with its time of saving blanked: an ISO time, the same length in every save. */
const withoutSavedAt = (path) => readFileSync(path, "latin1").replace(/savedAt\\":\\"[^\\"]+\\"/, "savedAt\\\":\\\"\\\"");
const predict = (model) => execFileSync(process.execPath, [join(repoRoot, "out/cli.js"), "predict", model, "--rows", "0 0; 0 1; 1 0; 1 1", "--json"], { encoding: "utf8" });

async function main() {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  let editor;
  try {
    editor = await startEditor(["reopen"]);
    const workspace = editor.profile.workspaces.reopen;
    await window(editor, "01-two-runs", async (workbench) => {
      await train(workbench, 1);
      await train(workbench, 2);
      await saveFromPanel(workbench, "before.nnetmodel");
    });
    console.log(`  ✓ 01-two-runs, saved, then code-server stopped (${seconds()} s)`);
    await editor.restart();
    await window(editor, "02-reopened", async (workbench) => {
      await workbench.runCommand("NNet: Open Training Panel");
      const panel = workbench.webview();
      const rows = panel.locator(".runs-card .run-row");
      await rows.nth(1).waitFor();
      assert.equal(await rows.count(), 2, "both runs are listed after reopening");
      // the newest run is drawn again: xor.nnet trains for 500 epochs
      await panel.locator(".chart-loss .chart[data-points='500']").waitFor();
      await panel.locator(".status", { hasText: "Training of xor completed" }).waitFor();
      await saveFromPanel(workbench, "after.nnetmodel");
    });
    const [before, after] = ["before.nnetmodel", "after.nnetmodel"].map((name) => join(workspace, name));
    assert.notEqual(readFileSync(after, "latin1"), readFileSync(before, "latin1"), "each save has its own time");
    assert.ok(withoutSavedAt(after) === withoutSavedAt(before), "the model saved after the reopen is the one saved before it");
    const predictions = predict(after);
    assert.equal(predictions.trim().split("\n").length, 4, "four rows predicted");
    assert.equal(predictions, predict(before));
    console.log(`  ✓ 02-reopened: both runs listed, the newest saved as before (${seconds()} s)`);
    return true;
  } catch (error) {
    console.log(`  ✗ ${String(error.message ?? error).split("\n")[0]}`);
    return false;
  } finally {
    await editor?.close();
  }
}

const passed = await main();
console.log(`e2e reopen: ${passed ? "1 passed, 0 failed" : "0 passed, 1 failed"} in ${seconds()} s`);
process.exit(passed ? 0 : 1);
