// Restricted Mode as a user meets it: code-server with workspace trust on and
// the workspace left untrusted. Editing features work; Train and Gradient
// check are gone from the editor title, and the code lens explains why it
// does nothing. Usage: node test/e2e/ui/restricted.mjs (after npm run build).
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../lib/code-server.mjs";
import { startEditor } from "./editor.mjs";

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const resultsDir = join(repoRoot, "test-results/e2e-restricted");

const steps = [
  ["editing-works-untrusted", async (workbench) => {
    await workbench.waitUntilReady();
    await workbench.openFromExplorer("typo.nnet");
    await workbench.squiggles("error").first().waitFor();
    await workbench.openFromExplorer("xor.nnet");
    assert.match(await workbench.hover("hidden"), /BP2/, "hovers work in Restricted Mode");
    await workbench.page.mouse.move(5, 400);
  }],
  ["no-train-button-in-title", async (workbench) => {
    await workbench.page.locator(".editor-actions").first().waitFor();
    const actions = await workbench.page.locator(".editor-actions .action-label").evaluateAll((all) => all.map((a) => a.getAttribute("aria-label") ?? ""));
    assert.ok(actions.some((label) => label.startsWith("Open Training Panel")), `the title still has the panel button: ${actions}`);
    assert.ok(!actions.some((label) => /^(Train Model|Run Gradient Check)/.test(label)), `no Train or Gradient check button: ${actions}`);
  }],
  ["train-lens-explains", async (workbench) => {
    await workbench.page.locator(".monaco-editor .codelens-decoration a", { hasText: "Train" }).first().click();
    const toast = workbench.page.locator(".notifications-toasts .notification-list-item", { hasText: "Restricted Mode" });
    await toast.first().waitFor();
    assert.match(await toast.first().innerText(), /Manage Workspace Trust/);
    // nothing happening has no event: a refused Train is given a second to open a panel it should not
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(await workbench.page.locator("iframe.webview").count(), 0, "no training panel opened");
    assert.equal(await workbench.page.locator(".statusbar-item", { hasText: "loss" }).count(), 0, "no run in the status bar");
  }],
];

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  let editor;
  let passed = 0;
  try {
    editor = await startEditor(["restricted"], { trust: true });
    const { context, workbench } = await editor.open("restricted", { resultsDir });
    for (const [index, [name, run]] of steps.entries()) {
      const label = `${String(index + 1).padStart(2, "0")}-${name}`;
      try {
        await run(workbench);
        passed++;
        console.log(`  ✓ ${label}`);
      } catch (error) {
        console.log(`  ✗ ${label}: ${String(error.message).split("\n")[0]}`);
        break;
      } finally {
        await workbench.screenshot(label).catch(() => {});
      }
    }
    await context.close().catch(() => {});
  } catch (error) {
    console.error(`restricted: ${error.stack ?? error}`);
  } finally {
    await editor?.close();
  }
  console.log(`e2e restricted mode: ${passed} passed, ${steps.length - passed} failed in ${seconds()} s`);
  return passed === steps.length;
}

process.exit((await main()) ? 0 : 1);
