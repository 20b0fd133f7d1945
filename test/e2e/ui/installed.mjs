// The UI steps against the packaged extension: installs a .vsix into a fresh
// code-server profile with `--install-extension` (no development path, no
// node_modules beside it) and drives the same user session as phase B.
// Usage: npm run test:vsix (packages first), or node test/e2e/ui/installed.mjs [file.vsix]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { codeServerCommand, repoRoot, tail } from "../lib/code-server.mjs";
import { startEditor } from "./editor.mjs";
import { steps } from "./steps.mjs";

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const resultsDir = join(repoRoot, "test-results/e2e-vsix");

function newestVsix() {
  const found = readdirSync(repoRoot).filter((file) => /^nnet-lab-.*\.vsix$/.test(file))
    .map((file) => join(repoRoot, file)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (found.length === 0) throw new Error("no nnet-lab-*.vsix in the repository: run `npm run package` first");
  return found[0];
}

function install(profile, vsix) {
  const { binary, args, env } = codeServerCommand(profile, ["--install-extension", vsix]);
  const result = spawnSync(binary, args, { encoding: "utf8", env });
  const installed = readdirSync(join(profile.dir, "ext")).filter((name) => name.startsWith("nnet-lab.nnet-lab-"));
  if (result.status !== 0 || installed.length === 0) throw new Error(`--install-extension failed:\n${result.stdout}${result.stderr}`);
  console.log(`vsix: installed ${installed[0]} (${seconds()} s)`);
}

async function main() {
  const vsix = resolve(process.argv[2] ?? newestVsix());
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist`);
  mkdirSync(resultsDir, { recursive: true });
  let editor;
  try {
    editor = await startEditor(["ui"], { beforeStart: (profile) => install(profile, vsix) });
    const { context, workbench, problems } = await editor.open("ui", { resultsDir, development: false });
    let failed = 0;
    let passed = 0;
    for (const [index, step] of steps.entries()) {
      const label = `${String(index + 1).padStart(2, "0")}-${step.name}`;
      try {
        await step.run(workbench);
        passed++;
        console.log(`  ✓ ${label}${problems.length ? ` (${problems.length} page problems so far)` : ""}`);
      } catch (error) {
        failed++;
        console.log(`  ✗ ${label}: ${String(error.message).split("\n")[0]}`);
      }
      await workbench.screenshot(label).catch(() => {});
      if (step.after) await step.after(workbench).catch(() => {});
      if (failed > 0) break;
    }
    for (const problem of problems) console.log(`  [page] ${problem}`);
    await context.close().catch(() => {});
    console.log(`vsix: ${passed} passed, ${failed} failed of ${steps.length} steps in ${seconds()} s (screenshots in ${resultsDir})`);
    return failed === 0 && passed === steps.length;
  } catch (error) {
    console.error(`vsix: ${error.stack ?? error}`);
    if (editor?.server) console.error(tail(editor.server.log));
    return false;
  } finally {
    await editor?.close();
  }
}

process.exit((await main()) ? 0 : 1);
