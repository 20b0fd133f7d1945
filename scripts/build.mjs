// Bundles the CLI, the language server, the training worker, the extension
// and the webview with esbuild. Type checking is `tsc -b`, run separately.
import { build } from "esbuild";
import { mkdirSync, copyFileSync, existsSync, readdirSync } from "node:fs";

const production = process.argv.includes("--production");
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: "warning",
  legalComments: "none",
};
const node = { ...common, platform: "node", target: "node20", format: "cjs" };

const present = (options) => options.entryPoints.every((entry) => existsSync(entry));
const bench = ["language", "engine", "lsp", "fuzz", "model-file", "csv-load", "debugger", "peers/tfjs-peer"].map((name) => ({
  ...node,
  entryPoints: [`bench/${name}.ts`],
  outfile: `out/bench/${name}.js`,
  external: ["@tensorflow/*", "playwright-core"],
}));

mkdirSync("out", { recursive: true });
const targets = [
  { ...node, entryPoints: ["server/src/cli/main.ts"], outfile: "out/cli.js" },
  { ...node, entryPoints: ["server/src/lsp/main.ts"], outfile: "out/server.js" },
  { ...node, entryPoints: ["server/src/training/worker.ts"], outfile: "out/worker.js" },
  { ...node, entryPoints: ["client/src/extension.ts"], outfile: "out/extension.js", external: ["vscode"] },
  {
    ...common,
    platform: "browser",
    target: "es2022",
    format: "iife",
    entryPoints: ["client/webview/main.ts"],
    outfile: "out/webview/main.js",
  },
  ...bench,
  {
    // The editor tests, run inside the extension host; mocha comes from node_modules there.
    ...node,
    entryPoints: existsSync("test/e2e/suite")
      ? readdirSync("test/e2e/suite")
          .filter((file) => file === "index.ts" || file.endsWith(".test.ts"))
          .map((file) => `test/e2e/suite/${file}`)
      : [],
    outdir: "out/test/suite",
    external: ["vscode", "mocha"],
  },
];
await Promise.all(targets.filter(present).map((options) => build(options)));
for (const asset of ["client/webview/panel.css", "node_modules/uplot/dist/uPlot.min.css"]) {
  if (existsSync(asset)) copyFileSync(asset, `out/webview/${asset.split("/").pop()}`);
}
