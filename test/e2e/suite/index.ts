/**
 * The editor test suite's entry point, run inside a real extension host:
 * by code-server through the page's `extensionTestsPath` (test/e2e/run.mjs)
 * or by `@vscode/test-electron` (test/e2e/electron.mjs). Both call `run()`.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import Mocha from "mocha";

export function run(): Promise<void> {
  // NNET_E2E_GREP runs only the tests whose titles match, when working on one part
  const grep = process.env.NNET_E2E_GREP;
  const mocha = new Mocha({ ui: "tdd", color: false, timeout: 30_000, reporter: "spec", ...(grep ? { grep } : {}) });
  // Files run in name order; activation.test.js relies on running first.
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith(".test.js"))
    .sort();
  for (const file of files) mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} editor test(s) failed`));
      else resolve();
    });
  });
}
