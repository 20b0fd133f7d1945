// The real-editor tests: code-server (VS Code 1.100.3) in a throwaway profile,
// driven by Debian's Chromium through playwright-core.
//   Phase A: the mocha suite (out/test/suite) inside the real extension host.
//   Phase B: the UI steps (test/e2e/ui/steps.mjs) as a user would do them.
// Usage: npm run test:e2e (builds first). NNET_E2E_KEEP=1 keeps the profile folder.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, tail } from "./lib/code-server.mjs";
import { runExtensionTests } from "./lib/extension-tests.mjs";
import { startEditor } from "./ui/editor.mjs";
import { runUiSession } from "./ui/session.mjs";

const budgetMs = Number(process.env.NNET_E2E_BUDGET_MS ?? 300_000);
const resultsDir = join(repoRoot, "test-results/e2e");
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

// startEditor ends the code-server process group however the run ends
let editor;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    console.error(`e2e: ${signal}, stopping`);
    process.exit(130);
  });
}
const watchdog = setTimeout(() => {
  console.error(`e2e: FAILED, the run exceeded its ${budgetMs / 1000} s budget`);
  const grace = new Promise((resolve) => setTimeout(resolve, 3_000));
  Promise.race([editor?.browser?.close(), grace]).finally(() => process.exit(1));
}, budgetMs);
watchdog.unref();

async function main() {
  for (const built of ["out/extension.js", "out/server.js", "out/test/suite/index.js"]) {
    if (!existsSync(join(repoRoot, built))) throw new Error(`${built} is missing: run \`npm run build\` (npm run test:e2e does)`);
  }
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  editor = await startEditor(["suite", "ui"]);
  const { browser, server, profile } = editor;
  console.log(`e2e: code-server on ${server.url} (${seconds()} s)`);

  console.log("e2e: phase A, the extension test suite in the extension host");
  const suite = await runExtensionTests({
    browser,
    server,
    workspace: profile.workspaces.suite,
    resultsDir,
    // a loaded machine can take longer; NNET_E2E_SUITE_MS raises the limit
    timeoutMs: Number(process.env.NNET_E2E_SUITE_MS ?? 150_000),
  });
  if (suite.reason) console.log(`  ✗ ${suite.reason}`);
  console.log(`e2e: phase A: ${suite.passed} passed, ${suite.failed} failed (${seconds()} s)`);

  console.log("e2e: phase B, the workbench as a user drives it");
  const steps = await runUiSession({
    browser,
    server,
    workspace: profile.workspaces.ui,
    resultsDir,
    stepTimeoutMs: 30_000,
  });
  const count = (status) => steps.filter((step) => step.status === status).length;
  console.log(`e2e: phase B: ${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped (${seconds()} s)`);
  console.log(`e2e: screenshots in ${resultsDir}`);

  const passed = suite.passed + count("passed");
  const failed = suite.failed + count("failed") + count("skipped");
  return { passed, failed };
}

let outcome;
try {
  outcome = await main();
} catch (error) {
  console.error(`e2e: ${error.stack ?? error}`);
  if (editor?.server) console.error(`e2e: code-server log tail:\n${tail(editor.server.log)}`);
  outcome = { passed: 0, failed: 1, crashed: true };
} finally {
  await editor?.close();
}
const note = outcome.crashed ? " (the run could not complete)" : "";
console.log(`e2e: ${outcome.passed} passed, ${outcome.failed} failed in ${seconds()} s${note}`);
process.exit(outcome.failed === 0 ? 0 : 1);
