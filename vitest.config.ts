import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// the first two replace the `vscode` module with a stand-in of their own, so each needs a fresh module cache;
// the Chromium panel test hung in a shared worker once (load about 30, cause not yet known): it keeps a fresh one too
const isolated = ["test/dap/extension.test.ts", "test/webview/host.test.ts", "test/webview/panel.browser.test.ts"];
const exclude = ["test/e2e/**", "node_modules/**"];

export default defineConfig({
  test: {
    // the CLI and the worker, bundled once for every file that runs them
    globalSetup: ["test/bundles.setup.ts"],
    // a guard against a hang, not a speed check: on a 2-core machine loaded twentyfold a heavy test takes minutes
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    // most heavy files wait on child processes (the CLI, the server, Python), so two files at a time keep a
    // 2-core machine busy where vitest's default (cores − 1) runs them one by one; nothing in a test depends on timing
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      // a worker keeps the modules it loaded from one file to the next rather than loading the engine, the
      // language and their dependencies again for each of them: no file depends on module state another leaves
      { extends: true, test: { name: "shared", include: ["test/**/*.test.ts"], exclude: [...exclude, ...isolated], isolate: false } },
      { extends: true, test: { name: "isolated", include: isolated, exclude } },
    ],
  },
});
