// The engine embeds its WebAssembly kernels as bytes; scripts/wasm.mjs
// assembles them from the .wat sources with wabt. These run its check mode.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const engine = "server/src/engine";
const check = (dir: string) => spawnSync(process.execPath, ["scripts/wasm.mjs", "--check", dir], { encoding: "utf8" });

describe("the embedded WebAssembly bytes", () => {
  it("are what each .wat source assembles to", () => {
    const result = check(engine);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("are reported stale when a source changes and its bytes do not", () => {
    const dir = mkdtempSync(join(tmpdir(), "wasm-bytes-"));
    for (const file of readdirSync(engine).filter((f) => f.endsWith(".wat") || f.endsWith("-wasm.ts"))) cpSync(join(engine, file), join(dir, file));
    const wat = join(dir, "gemm.wat");
    // a store offset of 16 → 24 changes one immediate of the assembled code
    const text = readFileSync(wat, "utf8");
    expect(text).toContain("v128.store offset=16");
    writeFileSync(wat, text.replace("v128.store offset=16", "v128.store offset=24"));
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${join(dir, "gemm-wasm.ts")}`);
  });
});
