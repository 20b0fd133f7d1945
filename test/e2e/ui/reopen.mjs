// The run history outlives VS Code: train xor.nnet twice, close the window and
// stop code-server, start it again on the same profile, workspace and address,
// open the training panel: both runs are listed and the newest is drawn.
// Usage: node test/e2e/ui/reopen.mjs (after npm run build); screenshots in test-results/e2e-reopen/.
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, openPage } from "../lib/browser.mjs";
import {
  createProfile, ensureCodeServer, killCodeServerNow, removeProfile, repoRoot, startCodeServer, stopCodeServer, workbenchUrl,
} from "../lib/code-server.mjs";
import { Workbench } from "./workbench.mjs";

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

/** One window on the profile: open it, run `act`, leave a screenshot, close it. */
async function window(browser, server, workspace, name, act) {
  const { context, page } = await openPage(browser);
  page.setDefaultTimeout(30_000);
  const workbench = new Workbench(page, resultsDir);
  try {
    // a workbench loading on a busy machine can take longer than a step
    await page.goto(workbenchUrl(server, workspace), { timeout: 120_000 });
    await workbench.waitUntilReady();
    await workbench.openFromExplorer("xor.nnet");
    await workbench.focusEditorArea();
    await act(workbench);
  } finally {
    await workbench.screenshot(name).catch(() => {});
    await context.close().catch(() => {});
  }
}

async function main() {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  ensureCodeServer();
  const profile = createProfile(["reopen"]);
  let server;
  let browser;
  process.on("exit", () => {
    killCodeServerNow(server);
    removeProfile(profile);
  });
  const workspace = profile.workspaces.reopen;
  try {
    server = await startCodeServer(profile);
    const { port } = server;
    browser = await launchBrowser(profile.dir);
    await window(browser, server, workspace, "01-two-runs", async (workbench) => {
      await train(workbench, 1);
      await train(workbench, 2);
    });
    console.log(`  ✓ 01-two-runs, then code-server stopped (${seconds()} s)`);
    await stopCodeServer(server);
    server = await startCodeServer(profile, { port });
    await window(browser, server, workspace, "02-reopened", async (workbench) => {
      await workbench.runCommand("NNet: Open Training Panel");
      const panel = workbench.webview();
      const rows = panel.locator(".runs-card .run-row");
      await rows.nth(1).waitFor();
      assert.equal(await rows.count(), 2, "both runs are listed after reopening");
      // the newest run is drawn again: xor.nnet trains for 500 epochs
      await panel.locator(".chart-loss .chart[data-points='500']").waitFor();
      await panel.locator(".status", { hasText: "Training of xor completed" }).waitFor();
    });
    console.log(`  ✓ 02-reopened: both runs listed (${seconds()} s)`);
    return true;
  } catch (error) {
    console.log(`  ✗ ${String(error.message ?? error).split("\n")[0]}`);
    return false;
  } finally {
    await browser?.close().catch(() => {});
    await stopCodeServer(server);
    server = undefined;
  }
}

const passed = await main();
console.log(`e2e reopen: ${passed ? "1 passed, 0 failed" : "0 passed, 1 failed"} in ${seconds()} s`);
process.exit(passed ? 0 : 1);
