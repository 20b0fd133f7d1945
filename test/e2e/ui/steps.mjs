// Phase B: a user's session in the workbench, one step after another. Each
// step leaves a screenshot `NN-name.png` in test-results/e2e/. A step that
// fails stops the session (later steps build on it).
//
// To add a step, append { name, run, after? } here (`after` runs once the
// screenshot is taken, to close what the step opened); `run(workbench)` gets the
// Workbench helpers (ui/workbench.mjs): openFromExplorer, runCommand, hover,
// problems, squiggles, clickWord, webview (the panel's content frame), ...
import assert from "node:assert/strict";

export const steps = [
  {
    name: "workbench-loads",
    async run(workbench) {
      await workbench.waitUntilReady();
      assert.ok(await workbench.explorerRow("spiral.nnet").isVisible(), "the explorer lists spiral.nnet");
    },
  },
  {
    name: "open-spiral-from-explorer",
    async run(workbench) {
      await workbench.openFromExplorer("spiral.nnet");
      const text = await workbench.editorText();
      assert.match(text, /network spiral \{/);
    },
  },
  {
    name: "language-mode-is-nnet",
    async run(workbench) {
      await workbench.page.locator("#status\\.editor\\.mode", { hasText: /^\s*NNet\s*$/ }).waitFor();
    },
  },
  {
    name: "syntax-colouring",
    async run(workbench) {
      // Keyword, network name, activation, number and comment each get their own colour.
      const classes = await workbench.waitForDistinctColours(["network", "spiral", "tanh", "16", "//"], ["//"]);
      assert.equal(new Set(classes).size, 5, `the grammar colours keywords, names, activations, numbers and comments differently: ${classes}`);
    },
  },
  {
    name: "inspect-token-scopes",
    async run(workbench) {
      await workbench.clickWord("tanh");
      await workbench.runCommand("Developer: Inspect Editor Tokens and Scopes");
      // the token inspector shows tanh's TextMate scope
      await workbench.page.locator(".token-inspect-widget", { hasText: "support.function.activation.nnet" }).waitFor();
    },
    after: (workbench) => workbench.page.keyboard.press("Escape"),
  },
  {
    name: "hover-hidden-layer-bp2",
    async run(workbench) {
      const hover = await workbench.hover("h2");
      assert.match(hover, /BP2/, "a hidden layer's hover shows BP2");
      await assertFirstScreenFits(workbench, ["Forward", "Backward: BP2", "Shapes"]);
    },
    after: (workbench) => workbench.page.mouse.move(5, 400),
  },
  {
    name: "typo-squiggle-and-problems",
    async run(workbench) {
      await workbench.openFromExplorer("typo.nnet");
      await workbench.squiggles("error").first().waitFor();
      await workbench.problems();
      // the Problems panel lists the misspelt activation
      await workbench.page.locator(".markers-panel .monaco-list-row", { hasText: "did you mean 'tanh'" }).first().waitFor();
    },
  },
  {
    name: "train-xor-from-palette",
    async run(workbench) {
      await workbench.openFromExplorer("xor.nnet");
      await workbench.focusEditorArea();
      await workbench.clickWord("hidden");
      const titleActions = await workbench.page.locator(".editor-actions .action-label").evaluateAll((all) => all.map((a) => a.getAttribute("aria-label") ?? ""));
      assert.ok(titleActions.some((label) => label.startsWith("Train Model")), `the editor title has a Train Model button: ${titleActions}`);
      await workbench.runCommand("NNet: Train Model");
      const panel = workbench.webview();
      // xor.nnet trains for 500 epochs; the chart holds one point per epoch once the run is done.
      await panel.locator(".chart-loss .chart[data-points='500']").waitFor();
      assert.ok(await panel.locator(".chart-loss canvas").first().isVisible(), "the loss chart is drawn");
      assert.ok(await canvasHasInk(panel.locator(".chart-loss canvas").first()), "the loss chart's canvas has a line on it");
      // the status bar shows the run's loss
      await workbench.page.locator(".statusbar-item", { hasText: "xor" }).filter({ hasText: "loss" }).first().waitFor();
    },
  },
  {
    name: "gradcheck-table-pass",
    async run(workbench) {
      await workbench.clickWord("hidden");
      await workbench.runCommand("NNet: Run Gradient Check");
      const panel = workbench.webview();
      // a row per layer and parameter
      const rows = panel.locator("table.gradcheck tbody tr");
      await rows.nth(3).waitFor();
      assert.equal(await rows.count(), 4);
      const verdicts = await panel.locator("table.gradcheck tbody td.verdict").allInnerTexts();
      assert.deepEqual(verdicts, ["PASS", "PASS", "PASS", "PASS"]);
      assert.match(await panel.locator(".gradcheck-summary").innerText(), /^PASS/);
    },
  },
  {
    name: "hover-shows-gradient-norms",
    async run(workbench) {
      const hover = await workbench.hover("hidden");
      assert.match(hover, /Last run/);
      assert.match(hover, /‖∂C\/∂W/);
      await assertFirstScreenFits(workbench, ["Last run", "‖∂C/∂W", "Forward", "Backward: BP2", "Shapes"]);
    },
    after: (workbench) => workbench.page.mouse.move(5, 400),
  },
  {
    name: "end-keeps-the-editor-still",
    async run(workbench) {
      // With the panel open and the run's hints showing, End on a layer's line must not scroll the
      // editor sideways: the line and its hint fit, with the side bar hidden and at the default split.
      await workbench.page.locator(".editor-instance .view-line", { hasText: "∇" }).first().waitFor();
      for (const sideBar of [false, true]) {
        if (sideBar) {
          await workbench.page.keyboard.press("Control+B");
          await workbench.page.locator(".part.sidebar").waitFor();
        }
        for (const word of ["hidden", "out"]) {
          await workbench.clickWord(word);
          await workbench.page.keyboard.press("End");
          await workbench.rendered();
          const scrolled = await workbench.scrollLeft();
          assert.equal(scrolled, 0, `End on '${word}' (side bar ${sideBar ? "shown" : "hidden"}) scrolled the editor ${scrolled} px sideways`);
          await workbench.page.keyboard.press("Home");
        }
      }
    },
    after: (workbench) => workbench.focusEditorArea(),
  },
  {
    name: "panel-reveals-a-layer",
    async run(workbench) {
      // Clicking a layer of the panel's network diagram selects its name in the editor (line 6: `layer out: …`).
      await workbench.webview().locator(".net-layer", { hasText: "out" }).first().click();
      await workbench.page.locator("#status\\.editor\\.selection", { hasText: /Ln 6, Col \d+ \(3 selected\)/ }).waitFor();
    },
  },
  {
    name: "summary-from-code-lens",
    async run(workbench) {
      await workbench.page.locator(".monaco-editor .codelens-decoration a", { hasText: "Summary" }).first().click();
      await workbench.page.locator(".tabs-container .tab", { hasText: "Preview xor.nnet · xor.md" }).first().waitFor();
      let table = "";
      await waitUntil(async () => {
        table = await workbench.frameText("table");
        return /hidden\s+dense\s+x\s+8\s+tanh\s+24/.test(table);
      }, () => `the rendered summary lists the hidden layer's 24 parameters: ${JSON.stringify(table)}`);
    },
  },
  {
    name: "save-model-and-open-it",
    async run(workbench) {
      // the trained xor run (the gradient check since leaves it saveable): Save Model…, accept the dialog's NETWORK.nnetmodel
      await workbench.clickWord("hidden");
      await workbench.runCommand("NNet: Save Model…");
      await workbench.waitForInputValue(".quick-input-widget .quick-input-box input", /\/xor\.nnetmodel$/);
      await workbench.page.keyboard.press("Enter");
      await workbench.page.locator(".notifications-toasts", { hasText: "NNet: saved 'xor' (500 epochs) to xor.nnetmodel" }).first().waitFor();
      // Quick Open the file: it opens in the model viewer, not as bytes
      await workbench.page.keyboard.press("Control+P");
      await workbench.page.locator(".quick-input-widget .quick-input-box input").fill("xor.nnetmodel");
      await workbench.page.locator(".quick-input-widget .monaco-list-row", { hasText: "xor.nnetmodel" }).first().waitFor();
      await workbench.page.keyboard.press("Enter");
      let settings = "";
      await waitUntil(async () => {
        settings = await workbench.frameText("table.pairs");
        return /optimizer\s+adam \(lr 0\.05\)/.test(settings);
      }, () => `the model viewer shows the training settings: ${JSON.stringify(settings)}`);
      assert.match(await workbench.frameText("table.layers"), /hidden\s+dense\s+x\s+8\s+tanh\s+24/);
    },
  },
];

/**
 * The hover's first screen (everything above its first rule) must show without scrolling:
 * it ends within the box VS Code draws, and each of `titles` is inside it.
 */
async function assertFirstScreenFits(workbench, titles) {
  const layout = await workbench.hoverLayout();
  assert.ok(layout, "a hover is open");
  const { visible, max, content, firstScreen, positions } = layout;
  console.log(`    hover: first screen ${firstScreen.toFixed(0)} px of ${content} px, box ${visible} px (max ${max} px)`);
  assert.ok(visible <= max, `the hover box (${visible} px) is within its maximum (${max} px)`);
  assert.ok(firstScreen <= visible, `the first screen (${firstScreen.toFixed(0)} px) fits the hover box (${visible} px)`);
  for (const title of titles) {
    const at = positions.find((each) => each.text.includes(title));
    assert.ok(at && at.bottom <= visible, `'${title}' shows without scrolling (at ${at?.bottom.toFixed(0)} px of ${visible} px)`);
  }
}

/** Whether a canvas in the webview has any non-transparent pixel. */
async function canvasHasInk(canvas) {
  return canvas.evaluate((element) => {
    const context = element.getContext("2d");
    if (!context || element.width === 0 || element.height === 0) return false;
    const { data } = context.getImageData(0, 0, element.width, element.height);
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  });
}

/** Retries a check for a while: the workbench renders asynchronously. `description` may be a function, read on failure. */
export async function waitUntil(check, description, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${typeof description === "function" ? description() : description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
