// Phase A: the mocha suite in out/test/suite runs inside the real extension
// host once the workbench page opens with `extensionTestsPath` in its payload.
// The workbench reports the end through window.codeAutomationExit(code, logs).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { format } from "node:util";
import { harmless, openPage } from "./browser.mjs";
import { workbenchUrl } from "./code-server.mjs";

/** Prints the suite's output as it arrives and resolves with its counts. */
export async function runExtensionTests({ browser, server, workspace, resultsDir, timeoutMs }) {
  const { context, page } = await openPage(browser);
  const output = [];
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  await page.exposeFunction("codeAutomationLog", (type, args) => {
    // The host forwards console calls unformatted: mocha's reporter passes "%s"/"%d" templates.
    const line = format(...(Array.isArray(args) ? args : [args]));
    output.push(line);
    if (harmless.some((pattern) => pattern.test(line))) return;
    console.log(type === "error" ? `  [host error] ${line}` : `  ${line}`);
  });
  await page.exposeFunction("codeAutomationExit", (code, logs) => {
    saveLogs(resultsDir, logs);
    finish({ code });
  });
  const timer = setTimeout(() => finish({ code: "timeout" }), timeoutMs);
  try {
    await page.goto(workbenchUrl(server, workspace, { tests: true }));
    const { code } = await finished;
    if (code !== 0) await page.screenshot({ path: join(resultsDir, "suite-failure.png") }).catch(() => {});
    return summarise(output.join("\n"), code, timeoutMs);
  } finally {
    clearTimeout(timer);
    await context.close().catch(() => {});
  }
}

/** Counts from mocha's spec reporter ("  7 passing", "  1 failing"), checked against the exit code. */
function summarise(text, code, timeoutMs) {
  const count = (word) => Number(text.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
  const passed = count("passing");
  let failed = count("failing");
  let reason;
  if (code === "timeout") reason = `the suite did not finish within ${timeoutMs / 1000} s`;
  else if (code !== 0 && failed === 0) reason = `the extension host exited with code ${code}`;
  else if (passed + failed === 0) reason = "the suite ran no tests";
  if (reason) failed = Math.max(failed, 1);
  return { passed, failed, reason };
}

function saveLogs(resultsDir, logs) {
  if (!Array.isArray(logs)) return;
  for (const { relativePath, contents } of logs) {
    if (typeof relativePath !== "string" || relativePath.includes("..")) continue;
    const file = join(resultsDir, "logs", relativePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof contents === "string" ? contents : JSON.stringify(contents));
  }
}
