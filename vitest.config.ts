import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    // the CLI and the worker, bundled once for every file that runs them
    globalSetup: ["test/bundles.setup.ts"],
    // a guard against a hang, not a speed check: on a 2-core machine loaded twentyfold a heavy test takes minutes
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    // most heavy files wait on child processes (the CLI, the server, Python), so two files at a time keep a
    // 2-core machine busy where vitest's default (cores − 1) runs them one by one; nothing in a test depends on timing
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
