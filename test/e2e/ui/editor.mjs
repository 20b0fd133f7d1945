// One real editor for a script: code-server on a throwaway profile and a
// Chromium to drive it, ended (and the profile removed) however the script
// ends. The real-editor scripts all start this way.
import { launchBrowser, openPage } from "../lib/browser.mjs";
import {
  createProfile, ensureCodeServer, killCodeServerNow, removeProfile, startCodeServer, stopCodeServer, workbenchUrl,
} from "../lib/code-server.mjs";
import { Workbench } from "./workbench.mjs";

/**
 * Starts code-server and Chromium on a fresh profile with a workspace per phase.
 * `trust`: workspace trust stays on; `beforeStart(profile)`: work on the profile first (installing a .vsix).
 */
export async function startEditor(phases, { trust = false, beforeStart } = {}) {
  ensureCodeServer();
  const editor = { profile: createProfile(phases, { trust }), server: undefined, browser: undefined };
  process.on("exit", () => {
    killCodeServerNow(editor.server);
    removeProfile(editor.profile);
  });
  await beforeStart?.(editor.profile);
  editor.server = await startCodeServer(editor.profile);
  editor.browser = await launchBrowser(editor.profile.dir);
  return Object.assign(editor, {
    /**
     * A workbench page on `phase`'s workspace, with the extension under development unless `development` is false.
     * `timeout`: each action's; `loadTimeout`: the page's first load (longer on a busy machine).
     */
    async open(phase, { resultsDir, timeout = 30_000, loadTimeout, development = true } = {}) {
      const { context, page, problems } = await openPage(editor.browser);
      page.setDefaultTimeout(timeout);
      const workspace = editor.profile.workspaces[phase];
      const url = development ? workbenchUrl(editor.server, workspace) : `${editor.server.url}/?folder=${encodeURIComponent(workspace)}`;
      await page.goto(url, loadTimeout ? { timeout: loadTimeout } : {});
      return { context, page, problems, workbench: new Workbench(page, resultsDir) };
    },
    /** Stops code-server and starts it again on the same profile and port (the workspace's storage is keyed by the address). */
    async restart() {
      const { port } = editor.server;
      await stopCodeServer(editor.server);
      editor.server = undefined;
      editor.server = await startCodeServer(editor.profile, { port });
    },
    async close() {
      await editor.browser?.close().catch(() => {});
      await stopCodeServer(editor.server);
      editor.server = undefined;
    },
  });
}
