/**
 * Bundles the CLI and the training worker once for the whole run, with
 * scripts/build.mjs's options, into a private folder (cli.js finds worker.js
 * beside it): every test file that spawns `node cli.js` or starts the worker
 * reads these, so no file waits on a bundle of its own, and none reads
 * out/, which a build running at the same time may be rewriting.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    bundles: { cli: string; worker: string };
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const root = project.config.root;
  const folder = mkdtempSync(join(tmpdir(), "nnet-out-"));
  chmodSync(folder, 0o755);
  const options = { bundle: true, platform: "node", target: "node20", format: "cjs", sourcemap: true, logLevel: "warning", legalComments: "none" } as const;
  const cli = join(folder, "cli.js");
  const worker = join(folder, "worker.js");
  await build({ ...options, entryPoints: { cli: join(root, "server/src/cli/main.ts"), worker: join(root, "server/src/training/worker.ts") }, outdir: folder });
  project.provide("bundles", { cli, worker });
  return () => rmSync(folder, { recursive: true, force: true });
}
