// Assembles the engine's WebAssembly kernels (server/src/engine/*.wat) with
// wabt and writes each one's bytes beside it as <name>-wasm.ts, the form the
// engine embeds. `node scripts/wasm.mjs [folder]`; with `--check` it writes
// nothing and fails when a .wat and its bytes disagree
// (test/engine/wasm-bytes.test.ts runs that).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import wabt from "wabt";

const features = { simd: true, relaxed_simd: true, threads: true };

/** The bytes one .wat source assembles to. */
async function assemble(path) {
  const tools = await wabt();
  const module = tools.parseWat(path, readFileSync(path, "utf8"), features);
  try {
    // no module.validate(): wabt.js's validator refuses shared memories whatever the features; the engine's tests compile every module
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** `gemm.wat` → `gemmWasmBytes` in gemm-wasm.ts; `gemm-fma.wat` → `gemmFmaWasmBytes`. */
const bytesName = (wat) => `${wat.replace(/\.wat$/, "").replace(/-(\w)/g, (_, c) => c.toUpperCase())}WasmBytes`;

function source(wat, bytes) {
  const rows = [];
  for (let i = 0; i < bytes.length; i += 24) rows.push(`  ${Array.from(bytes.subarray(i, i + 24)).join(", ")},`);
  return [
    `// Generated from ${wat} by \`node scripts/wasm.mjs\`; test/engine/wasm-bytes.test.ts checks that these bytes match the source.`,
    "// prettier-ignore",
    `export const ${bytesName(wat)} = new Uint8Array([`,
    ...rows,
    "]);",
    "",
  ].join("\n");
}

const check = process.argv.includes("--check");
const dir = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? "server/src/engine";
const stale = [];
for (const wat of readdirSync(dir).filter((f) => f.endsWith(".wat"))) {
  const out = join(dir, wat.replace(/\.wat$/, "-wasm.ts"));
  const text = source(wat, await assemble(join(dir, wat)));
  if (!check) {
    writeFileSync(out, text);
    console.log(`wrote ${out}`);
  } else if (!existsSync(out) || readFileSync(out, "utf8") !== text) stale.push(out);
}
if (stale.length > 0) {
  console.error(`not what the .wat assembles to (run node scripts/wasm.mjs): ${stale.join(", ")}`);
  process.exit(1);
}
