// The same mocha suite (out/test/suite) in a desktop VS Code, through
// @vscode/test-electron's runTests. It downloads VS Code from
// update.code.visualstudio.com, so it only works where that host can be
// reached; the CI machines cannot (ENOTFOUND) and use test/e2e/run.mjs, which
// runs this suite in code-server instead. Not part of CI.
// Usage: npm run build && node test/e2e/electron.mjs [vscode-version]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTests } from "@vscode/test-electron";
import { createWorkspace, repoRoot } from "./lib/code-server.mjs";

const version = process.argv[2] ?? "1.100.3";
const scratch = mkdtempSync(join(tmpdir(), "nnet-electron-"));
const workspace = createWorkspace(join(scratch, "ws"));

let code = 0;
try {
  await runTests({
    version,
    // the downloaded VS Code is kept in the ignored cache folder, not in the repository root
    cachePath: join(repoRoot, ".cache/vscode-test"),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, "out/test/suite/index"),
    launchArgs: [
      workspace,
      "--disable-extensions",
      "--disable-workspace-trust",
      "--skip-welcome",
      "--skip-release-notes",
      `--user-data-dir=${join(scratch, "user")}`,
    ],
  });
} catch (error) {
  console.error(`electron e2e: ${error.message ?? error}`);
  code = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(code);
