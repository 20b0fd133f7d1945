// Restricted Mode as a user meets it: code-server with workspace trust on and
// the workspace left untrusted. Editing features work; Train and Gradient
// check are gone from the editor title, and the code lens explains why it
// does nothing. Usage: node test/e2e/ui/restricted.mjs (after npm run build).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, openPage } from "../lib/browser.mjs";
import {
  createProfile, ensureCodeServer, freePort, killCodeServerNow, removeProfile, repoRoot, stopCodeServer, tail, workbenchUrl,
} from "../lib/code-server.mjs";
import { waitUntil } from "./steps.mjs";
import { Workbench } from "./workbench.mjs";

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const resultsDir = join(repoRoot, "test-results/e2e-restricted");
const codeServer = join(process.env.NNET_CODE_SERVER_DIR ?? join(repoRoot, ".cache/code-server"), "node_modules/.bin/code-server");

/** Like lib/code-server.mjs's start, but with workspace trust left on. */
async function startTrustingCodeServer(profile) {
  writeFileSync(join(profile.dir, "user/User/settings.json"), JSON.stringify({
    "telemetry.telemetryLevel": "off",
    "security.workspace.trust.enabled": true,
    "security.workspace.trust.startupPrompt": "never",
    "security.workspace.trust.banner": "never",
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "update.mode": "none",
    "window.restoreWindows": "none",
    "git.enabled": false,
    "chat.commandCenter.enabled": false,
  }, null, 2));
  const port = await freePort();
  const log = join(profile.dir, "code-server.log");
  const args = [
    "--bind-addr", `127.0.0.1:${port}`, "--auth", "none", "--config", join(profile.dir, "config.yaml"),
    "--user-data-dir", join(profile.dir, "user"), "--extensions-dir", join(profile.dir, "ext"),
    "--disable-telemetry", "--disable-update-check", "--disable-getting-started-override", "--ignore-last-opened",
  ];
  const env = {
    ...process.env, XDG_CONFIG_HOME: join(profile.dir, "xdg/config"), XDG_DATA_HOME: join(profile.dir, "xdg/data"),
    XDG_CACHE_HOME: join(profile.dir, "xdg/cache"), TMPDIR: join(profile.dir, "tmp"),
  };
  const child = spawn(codeServer, args, { detached: true, stdio: ["ignore", openSync(log, "a"), openSync(log, "a")], env });
  const server = { port, log, pid: child.pid, exited: false, url: `http://127.0.0.1:${port}` };
  child.once("exit", () => (server.exited = true));
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    if (server.exited) throw new Error(`code-server exited:\n${tail(log)}`);
    if (await fetch(`${server.url}/healthz`).then((r) => r.ok, () => false)) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not start:\n${tail(log)}`);
}

const steps = [
  ["editing-works-untrusted", async (workbench) => {
    await workbench.waitUntilReady();
    await workbench.openFromExplorer("typo.nnet");
    await workbench.squiggles("error").first().waitFor();
    await workbench.openFromExplorer("xor.nnet");
    assert.match(await workbench.hover("hidden"), /BP2/, "hovers work in Restricted Mode");
    await workbench.page.mouse.move(5, 400);
  }],
  ["no-train-button-in-title", async (workbench) => {
    await workbench.page.locator(".editor-actions").first().waitFor();
    const actions = await workbench.page.locator(".editor-actions .action-label").evaluateAll((all) => all.map((a) => a.getAttribute("aria-label") ?? ""));
    assert.ok(actions.some((label) => label.startsWith("Open Training Panel")), `the title still has the panel button: ${actions}`);
    assert.ok(!actions.some((label) => /^(Train Model|Run Gradient Check)/.test(label)), `no Train or Gradient check button: ${actions}`);
  }],
  ["train-lens-explains", async (workbench) => {
    await workbench.page.locator(".monaco-editor .codelens-decoration a", { hasText: "Train" }).first().click();
    const toast = workbench.page.locator(".notifications-toasts .notification-list-item", { hasText: "Restricted Mode" });
    await toast.first().waitFor();
    assert.match(await toast.first().innerText(), /Manage Workspace Trust/);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(await workbench.page.locator("iframe.webview").count(), 0, "no training panel opened");
    await waitUntil(async () => !(await workbench.page.locator(".statusbar-item", { hasText: "loss" }).count()), "no run in the status bar");
  }],
];

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  ensureCodeServer();
  const profile = createProfile(["restricted"]);
  let server;
  let browser;
  process.on("exit", () => {
    killCodeServerNow(server);
    removeProfile(profile);
  });
  let passed = 0;
  try {
    server = await startTrustingCodeServer(profile);
    browser = await launchBrowser(profile.dir);
    const { context, page } = await openPage(browser);
    page.setDefaultTimeout(30_000);
    const workbench = new Workbench(page, resultsDir);
    await page.goto(workbenchUrl(server, profile.workspaces.restricted));
    for (const [index, [name, run]] of steps.entries()) {
      const label = `${String(index + 1).padStart(2, "0")}-${name}`;
      try {
        await run(workbench);
        passed++;
        console.log(`  ✓ ${label}`);
      } catch (error) {
        console.log(`  ✗ ${label}: ${String(error.message).split("\n")[0]}`);
        break;
      } finally {
        await workbench.screenshot(label).catch(() => {});
      }
    }
    await context.close().catch(() => {});
  } catch (error) {
    console.error(`restricted: ${error.stack ?? error}`);
  } finally {
    await browser?.close().catch(() => {});
    await stopCodeServer(server);
    server = undefined;
  }
  console.log(`e2e restricted mode: ${passed} passed, ${steps.length - passed} failed in ${seconds()} s`);
  return passed === steps.length;
}

process.exit((await main()) ? 0 : 1);
