// Runs the UI steps in one workbench page that loads the extension under
// development (no test runner in the payload): what a user sees.
import { openPage } from "../lib/browser.mjs";
import { workbenchUrl } from "../lib/code-server.mjs";
import { steps } from "./steps.mjs";
import { Workbench } from "./workbench.mjs";

export async function runUiSession({ browser, server, workspace, resultsDir, stepTimeoutMs }) {
  const { context, page, problems } = await openPage(browser);
  page.setDefaultTimeout(stepTimeoutMs);
  const workbench = new Workbench(page, resultsDir);
  const results = [];
  try {
    await page.goto(workbenchUrl(server, workspace));
    for (const [index, step] of steps.entries()) {
      const label = `${String(index + 1).padStart(2, "0")}-${step.name}`;
      if (results.some((result) => result.status === "failed")) {
        results.push({ label, status: "skipped" });
        continue;
      }
      results.push(await runStep(workbench, step, label, stepTimeoutMs));
    }
  } finally {
    await context.close().catch(() => {});
  }
  for (const problem of problems) console.log(`  [page] ${problem}`);
  return results;
}

async function runStep(workbench, step, label, timeoutMs) {
  const started = Date.now();
  let error;
  try {
    await withTimeout(step.run(workbench), timeoutMs, `step ${label}`);
  } catch (caught) {
    error = caught;
  }
  const screenshot = await workbench.screenshot(label).catch(() => undefined);
  if (step.after) await step.after(workbench).catch(() => {});
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (error) console.log(`  ✗ ${label} (${seconds} s): ${error.message.split("\n")[0]}`);
  else console.log(`  ✓ ${label} (${seconds} s)`);
  return { label, status: error ? "failed" : "passed", screenshot, error };
}

function withTimeout(promise, timeoutMs, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs / 1000} s`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
