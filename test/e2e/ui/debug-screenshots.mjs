// The debugger's screenshots for docs/debugging.md and the README, taken from
// the real editor (code-server) at the default 1280×800: spiral.nnet stopped
// at BP2 of h1 with δ in the Variables view, the call stack, the inline
// values and a watch expression; then the Debug Console checking BP2.
// Usage: node test/e2e/ui/debug-screenshots.mjs (after npm run build).
// Writes docs/images/debugger-*.png; each wait is on what the page shows.
import { statSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../lib/code-server.mjs";
import { startEditor } from "./editor.mjs";

const imagesDir = join(repoRoot, "docs/images");
const limit = 300 * 1024;

/** The row of a debug view (call stack, variables, watch) that shows `text`. */
const row = (page, view, text) => page.locator(`${view} .monaco-list-row`, { hasText: text }).first();

async function stopAt(page, frame) {
  await row(page, ".debug-call-stack", frame).waitFor({ timeout: 60_000 });
}

async function shoot(page, name) {
  const path = join(imagesDir, `debugger-${name}.png`);
  await page.screenshot({ path });
  const size = statSync(path).size;
  console.log(`  ${path.slice(repoRoot.length + 1)}: ${(size / 1024).toFixed(0)} KB`);
  if (size > limit) throw new Error(`${path} is ${(size / 1024).toFixed(0)} KB, over the ${limit / 1024} KB the docs allow`);
}

async function main() {
  const editor = await startEditor(["shots"]);
  const { context, page, workbench } = await editor.open("shots", { resultsDir: imagesDir });
  try {
    await workbench.waitUntilReady();
    await workbench.openFromExplorer("spiral.nnet");
    // a breakpoint on h1's line: it stops when forward reaches h1 and again when backward does
    // the language server's code lens says the extension is up
    await page.locator(".monaco-editor .codelens-decoration", { hasText: "Step through" }).first().waitFor({ timeout: 60_000 });
    await workbench.clickWord("h1");
    await workbench.runCommand("Debug: Toggle Breakpoint");
    await page.locator(".codicon-debug-breakpoint").first().waitFor();
    await workbench.runCommand("NNet: Debug Backpropagation");
    await stopAt(page, "input x");
    await workbench.runCommand("Debug: Continue");
    await stopAt(page, "z at h1");
    await workbench.runCommand("Debug: Continue");
    await stopAt(page, "BP2 at h1");
    await row(page, ".debug-variables", "δ").waitFor();
    // a watch expression
    await page.locator(".pane-header", { hasText: "Watch" }).first().hover();
    await page.locator('.pane-header .action-label[aria-label="Add Expression"]').first().click();
    await page.keyboard.type("norm(delta.h1)");
    await page.keyboard.press("Enter");
    await row(page, ".debug-watch", /norm\(delta\.h1\)\s*=\s*2\./).waitFor();
    // the inline values beside the layers' lines
    await page.locator(".monaco-editor .view-lines", { hasText: "‖δ‖ =" }).first().waitFor();
    await page.mouse.move(5, 790);
    await shoot(page, "bp2");

    // the Debug Console: the equations of the seed evaluated on the run's numbers
    await page.locator(".part.panel .action-label", { hasText: /debug console/i }).first().click();
    const input = page.locator(".repl .repl-input-wrapper .monaco-editor").first();
    await input.waitFor();
    for (const expression of [
      "(W.h2' * delta.h2) .* dtanh(z.h1) - delta.h1",
      "(W.h2' * example(3).delta.h2) .* dtanh(example(3).z.h1) - example(3).delta.h1",
      "mean(abs(delta.h1))",
      "example(17).delta.h1",
    ]) {
      await input.click();
      await page.keyboard.type(expression);
      await page.keyboard.press("Enter");
      await page.locator(".repl .monaco-list-row", { hasText: expression.slice(0, 20) }).first().waitFor();
    }
    await page.locator(".repl .monaco-list-row", { hasText: "outside 1…16" }).first().waitFor();
    await shoot(page, "console");
  } catch (error) {
    await page.screenshot({ path: join(repoRoot, "test-results/debug-screenshots-failure.png") }).catch(() => {});
    throw error;
  } finally {
    await context.close().catch(() => {});
    await editor.close();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(`debug screenshots: ${error.message}`);
  process.exit(1);
});
