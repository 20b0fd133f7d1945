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
      await waitUntil(async () => (await workbench.languageMode()) === "NNet", "the status bar shows NNet");
    },
  },
  {
    name: "syntax-colouring",
    async run(workbench) {
      // Keyword, network name, activation, number and comment each get their own colour.
      const words = ["network", "spiral", "tanh", "16", "//"];
      const classes = {};
      await waitUntil(async () => {
        for (const word of words) classes[word] = await workbench.tokenClass(word, { prefix: word === "//" });
        return new Set(Object.values(classes)).size === words.length && !Object.values(classes).includes(null);
      }, () => `the grammar colours keywords, names, activations, numbers and comments differently: ${JSON.stringify(classes)}`);
    },
  },
  {
    name: "inspect-token-scopes",
    async run(workbench) {
      await workbench.clickWord("tanh");
      await workbench.runCommand("Developer: Inspect Editor Tokens and Scopes");
      const inspector = workbench.page.locator(".token-inspect-widget");
      await inspector.waitFor();
      await waitUntil(
        async () => (await inspector.innerText()).includes("support.function.activation.nnet"),
        "the token inspector shows tanh's TextMate scope",
      );
    },
    after: (workbench) => workbench.page.keyboard.press("Escape"),
  },
  {
    name: "hover-hidden-layer-bp2",
    async run(workbench) {
      const hover = await workbench.hover("h2");
      assert.match(hover, /BP2/, "a hidden layer's hover shows BP2");
    },
    after: (workbench) => workbench.page.mouse.move(5, 400),
  },
  {
    name: "typo-squiggle-and-problems",
    async run(workbench) {
      await workbench.openFromExplorer("typo.nnet");
      await workbench.squiggles("error").first().waitFor();
      let rows = [];
      await waitUntil(async () => {
        rows = await workbench.problems();
        return rows.some((row) => row.includes("did you mean 'tanh'"));
      }, () => `the Problems panel lists the misspelt activation: ${JSON.stringify(rows)}`);
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
      const loss = panel.locator(".chart-loss .chart");
      await loss.waitFor();
      // xor.nnet trains for 500 epochs; the chart holds one point per epoch once the run is done.
      await waitUntil(async () => (await loss.getAttribute("data-points")) === "500", async () => `the loss chart has 500 points (has ${await loss.getAttribute("data-points")})`);
      assert.ok(await panel.locator(".chart-loss canvas").first().isVisible(), "the loss chart is drawn");
      assert.ok(await canvasHasInk(panel.locator(".chart-loss canvas").first()), "the loss chart's canvas has a line on it");
      const status = workbench.page.locator(".statusbar-item", { hasText: "xor" });
      await waitUntil(async () => /loss/.test(await status.first().innerText().catch(() => "")), "the status bar shows the run's loss");
    },
  },
  {
    name: "gradcheck-table-pass",
    async run(workbench) {
      await workbench.clickWord("hidden");
      await workbench.runCommand("NNet: Run Gradient Check");
      const panel = workbench.webview();
      const rows = panel.locator("table.gradcheck tbody tr");
      await waitUntil(async () => (await rows.count()) === 4, "the gradient-check table has a row per layer and parameter");
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
    },
    after: (workbench) => workbench.page.mouse.move(5, 400),
  },
  {
    name: "panel-reveals-a-layer",
    async run(workbench) {
      // Clicking a layer of the panel's network diagram selects its name in the editor (line 6: `layer out: …`).
      await workbench.webview().locator(".net-layer", { hasText: "out" }).first().click();
      const cursor = workbench.page.locator("#status\\.editor\\.selection");
      await waitUntil(async () => /Ln 6, Col \d+ \(3 selected\)/.test(await cursor.innerText().catch(() => "")),
        async () => `the editor selects 'out' on line 6 (status bar: ${await cursor.innerText().catch(() => "?")})`);
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
      const path = workbench.page.locator(".quick-input-widget .quick-input-box input");
      await waitUntil(async () => /xor\.nnetmodel$/.test(await path.inputValue().catch(() => "")), async () => `the save dialog offers xor.nnetmodel (has ${await path.inputValue().catch(() => "?")})`);
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
