// The README's and docs' screenshots, taken from the real editor (code-server,
// VS Code 1.100.3) at the default 1280×800 window: the panel with a run and its
// gradient check, the runs compared, the layer hover, and the inlay hints.
// Usage: npm run screenshots (builds first); writes docs/images/*.png.
import assert from "node:assert/strict";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../lib/code-server.mjs";
import { startEditor } from "./editor.mjs";

const imagesDir = join(repoRoot, "docs/images");
const maxBytes = 300 * 1024;

/** Trains spiral.nnet from the palette and waits until the panel lists the run as a completed training. */
async function train(workbench) {
  const rows = workbench.webview().locator(".runs-card .run-row").filter({ hasText: "training · completed" });
  const before = await rows.count();
  await workbench.clickWord("h1");
  await workbench.runCommand("NNet: Train Model");
  await rows.nth(before).waitFor({ timeout: 120_000 });
}

/** Saves the whole window as docs/images/NAME.png. */
async function shoot(workbench, name) {
  const path = join(imagesDir, `${name}.png`);
  await workbench.rendered();
  await workbench.page.screenshot({ path });
  const { size } = statSync(path);
  assert.ok(size <= maxBytes, `${name}.png is ${Math.round(size / 1024)} KB, over ${maxBytes / 1024} KB`);
  console.log(`  ✓ docs/images/${name}.png (${Math.round(size / 1024)} KB)`);
}

const scenes = [
  ["panel-run-gradcheck", async (workbench) => {
    await workbench.openFromExplorer("spiral.nnet");
    await workbench.focusEditorArea();
    await train(workbench);
    await workbench.clickWord("h1");
    await workbench.runCommand("NNet: Run Gradient Check");
    const panel = workbench.webview();
    await panel.locator(".gradcheck-summary", { hasText: "PASS" }).waitFor();
    // the run's boundary and the check of its weights, side by side in the panel
    await panel.locator(".decision-card, .chart-card").first().waitFor();
    await panel.locator("table.gradcheck").scrollIntoViewIfNeeded();
    await workbench.clickWord("h1");
  }],
  ["inlay-hints", async (workbench) => {
    await workbench.page.keyboard.press("Control+B");
    await workbench.page.locator(".part.sidebar").waitFor();
    await workbench.page.locator(".editor-instance .view-line", { hasText: "∇" }).first().waitFor();
    await workbench.clickWord("out");
  }],
  ["hover-layer", async (workbench) => {
    await workbench.focusEditorArea();
    await workbench.hover("h2");
  }],
  ["runs-compare", async (workbench) => {
    await workbench.page.mouse.move(5, 400);
    await workbench.page.keyboard.press("Escape");
    // a second run with another learning rate: put the cursor after 0.01 and type over it
    const box = await workbench.wordBox("0.01");
    await workbench.page.mouse.click(box.x + box.width - 1, box.y + box.height / 2);
    for (let i = 0; i < 4; i++) await workbench.page.keyboard.press("Backspace");
    await workbench.page.keyboard.type("0.03");
    await train(workbench);
    const panel = workbench.webview();
    const trainings = panel.locator(".runs-card .run-row").filter({ hasText: "training · completed" });
    for (const row of [0, 1]) await trainings.nth(row).locator("input[type=checkbox]").check();
    await panel.locator(".compare-card:not([hidden]) .compare-difference", { hasText: "lr 0.03 vs 0.01" }).waitFor();
    // the overlaid curves under the line that names what differed, the ticked rows just above
    await panel.locator(".compare-card").evaluate((card) => card.scrollIntoView({ block: "start" }));
  }],
];

async function main() {
  mkdirSync(imagesDir, { recursive: true });
  let editor;
  try {
    editor = await startEditor(["screenshots"]);
    // generous: screenshots are taken on demand, often on a busy machine
    const { context, workbench } = await editor.open("screenshots", { resultsDir: join(repoRoot, "test-results"), timeout: 60_000, loadTimeout: 120_000 });
    await workbench.waitUntilReady();
    for (const [name, set] of scenes) {
      await set(workbench);
      await shoot(workbench, name);
    }
    await context.close();
    return true;
  } catch (error) {
    console.error(`screenshots: ${error.stack ?? error}`);
    return false;
  } finally {
    await editor?.close();
  }
}

process.exit((await main()) ? 0 : 1);
