// Starts and stops a real VS Code (code-server 4.100.3 = VS Code 1.100.3) in a
// throwaway profile. code-server is installed by .ci/install-e2e.sh into the
// ignored .cache/code-server/, never into the repository's node_modules.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const repoRoot = new URL("../../..", import.meta.url).pathname.replace(/\/$/, "");
export const codeServerVersion = "4.100.3";
const installDir = process.env.NNET_CODE_SERVER_DIR ?? join(repoRoot, ".cache/code-server");
const binary = join(installDir, "node_modules/.bin/code-server");

/** Runs .ci/install-e2e.sh unless code-server is already there at the expected version. */
export function ensureCodeServer() {
  const manifest = join(installDir, "node_modules/code-server/package.json");
  const installed = existsSync(manifest) ? JSON.parse(readFileSync(manifest, "utf8")).version : undefined;
  if (installed === codeServerVersion && existsSync(binary)) return;
  console.log(`e2e: code-server ${codeServerVersion} is not installed; running .ci/install-e2e.sh`);
  const result = spawnSync(join(repoRoot, ".ci/install-e2e.sh"), { stdio: "inherit" });
  if (result.status !== 0) throw new Error(".ci/install-e2e.sh failed; see its output above");
}

/** Settings for a window with no dialogs, tours, telemetry or network lookups. */
const quietSettings = {
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "security.workspace.trust.startupPrompt": "never",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.enableExperiments": false,
  "workbench.editor.enablePreview": false,
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "update.showReleaseNotes": false,
  "window.restoreWindows": "none",
  "files.hotExit": "off",
  "git.enabled": false,
  "chat.commandCenter.enabled": false,
};

/** Workspace trust left on, the workspace untrusted, and no prompt or banner about it: Restricted Mode. */
const trustSettings = {
  "security.workspace.trust.enabled": true,
  "security.workspace.trust.banner": "never",
};

/**
 * A fresh profile folder: user data, extensions, XDG dirs, config.yaml, and
 * one copy of the example workspace per test phase (so one phase's editor
 * state is never restored into the next). `trust`: workspace trust stays on.
 */
export function createProfile(phases, { trust = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "nnet-e2e-"));
  for (const sub of ["user/User", "ext", "xdg/config", "xdg/data", "xdg/cache", "tmp"]) {
    mkdirSync(join(dir, sub), { recursive: true });
  }
  const settings = trust ? { ...quietSettings, ...trustSettings } : quietSettings;
  writeFileSync(join(dir, "user/User/settings.json"), JSON.stringify(settings, null, 2));
  writeFileSync(join(dir, "config.yaml"), "auth: none\ncert: false\n");
  const workspaces = Object.fromEntries(phases.map((phase) => [phase, createWorkspace(join(dir, "ws", phase))]));
  return { dir, workspaces, trust };
}

/** code-server's own command line on the profile; `extra` arguments after it. */
export function codeServerCommand(profile, extra = []) {
  const args = [
    "--config", join(profile.dir, "config.yaml"),
    "--user-data-dir", join(profile.dir, "user"),
    "--extensions-dir", join(profile.dir, "ext"),
    ...extra,
  ];
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(profile.dir, "xdg/config"),
    XDG_DATA_HOME: join(profile.dir, "xdg/data"),
    XDG_CACHE_HOME: join(profile.dir, "xdg/cache"),
    TMPDIR: join(profile.dir, "tmp"),
  };
  return { binary, args, env };
}

/** The fixtures, with the project's examples copied over them: examples win. */
export function createWorkspace(folder) {
  mkdirSync(folder, { recursive: true });
  cpSync(join(repoRoot, "test/e2e/fixtures"), folder, { recursive: true });
  if (existsSync(join(repoRoot, "examples"))) cpSync(join(repoRoot, "examples"), folder, { recursive: true });
  return folder;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server as the leader of its own process group, so stop() can end its watchers too.
 * `port`: the one a previous start used; the workspace's storage is keyed by the address it was opened at.
 */
export async function startCodeServer(profile, { port: reuse } = {}) {
  const port = reuse ?? (await freePort());
  const log = join(profile.dir, "code-server.log");
  const { args, env } = codeServerCommand(profile, [
    "--bind-addr", `127.0.0.1:${port}`,
    "--auth", "none",
    "--disable-telemetry",
    "--disable-update-check",
    ...(profile.trust ? [] : ["--disable-workspace-trust"]),
    "--disable-getting-started-override",
    "--ignore-last-opened",
  ]);
  // its output goes to the log as it comes; the line that says it listens (after its routes are up) ends the start-up
  const child = spawn(binary, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], env });
  const server = { port, log, pid: child.pid, exited: false, url: `http://127.0.0.1:${port}` };
  const output = openSync(log, "a");
  const limit = 30_000;
  let timer;
  const started = new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk) => {
      writeSync(output, chunk);
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes("HTTP server listening on")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      server.exited = true;
      reject(new Error(`code-server exited during start-up (${signal ?? `code ${code}`}):\n${tail(log)}`));
    });
    timer = setTimeout(() => reject(new Error(`code-server did not say it listens within ${limit / 1000} s:\n${tail(log)}`)), limit);
  });
  try {
    await started;
  } catch (error) {
    signalGroup(child.pid, "SIGKILL");
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return server;
}

/** Ends the whole process group: the file watcher outlives the main process otherwise. */
export async function stopCodeServer(server) {
  if (!server?.pid) return;
  signalGroup(server.pid, "SIGTERM");
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline && groupAlive(server.pid)) await new Promise((resolve) => setTimeout(resolve, 100));
  signalGroup(server.pid, "SIGKILL");
}

/** Synchronous variant for process exit handlers. */
export function killCodeServerNow(server) {
  if (server?.pid) signalGroup(server.pid, "SIGKILL");
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function tail(file, lines = 30) {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export function removeProfile(profile) {
  if (profile && !process.env.NNET_E2E_KEEP) rmSync(profile.dir, { recursive: true, force: true });
}

/**
 * The page URL that loads this repository (or NNET_E2E_EXTENSION, a folder laid
 * out like it) as a development extension, optionally running the mocha suite.
 */
export function workbenchUrl(server, workspace, { tests } = {}) {
  const extension = process.env.NNET_E2E_EXTENSION ?? repoRoot;
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [["extensionDevelopmentPath", remote(extension)]];
  if (tests) payload.push(["extensionTestsPath", remote(join(extension, "out/test/suite/index"))]);
  return `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
