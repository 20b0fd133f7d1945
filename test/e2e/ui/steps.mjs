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
];

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
