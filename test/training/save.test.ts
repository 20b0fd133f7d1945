/**
 * Atomic saving: a failure or a crash at any point of a save leaves the
 * previous file whole; a completed save leaves the new one.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../server/src/training/index";
import { root, workspace, removeWorkspaces } from "./helpers";

const old = JSON.stringify({ version: "old" });
let child = "";

beforeAll(async () => {
  child = join(workspace(), "save-child.js");
  await build({ entryPoints: [join(root, "test/training/fixtures/save-child.ts")], outfile: child, bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning" });
});
afterAll(removeWorkspaces);

describe("atomic writes", () => {
  it("replaces the file and leaves no temporary behind", () => {
    const dir = workspace({ "w.json": old });
    writeFileAtomic(join(dir, "w.json"), "new");
    expect(readFileSync(join(dir, "w.json"), "utf8")).toBe("new");
    expect(readdirSync(dir)).toEqual(["w.json"]);
  });

  it("keeps the old file when the write fails between fsync and rename", () => {
    const dir = workspace({ "w.json": old });
    expect(() => writeFileAtomic(join(dir, "w.json"), "new", { beforeRename: () => { throw new Error("disk gone"); } })).toThrow("disk gone");
    expect(readFileSync(join(dir, "w.json"), "utf8")).toBe(old);
    expect(readdirSync(dir)).toEqual(["w.json"]);
  });

  it("keeps the old file when the process is killed just before the rename", () => {
    const dir = workspace({ "w.json": old });
    const result = spawnSync(process.execPath, [child, join(dir, "w.json"), "die-before-rename"]);
    expect(result.signal).toBe("SIGKILL");
    expect(readFileSync(join(dir, "w.json"), "utf8")).toBe(old);
    // the flushed temporary is left beside it, never in its place
    expect(readdirSync(dir).filter((name) => name !== "w.json").every((name) => name.endsWith(".tmp"))).toBe(true);
  });

  it("keeps the old file when the process is killed in the middle of writing a large file", async () => {
    const dir = workspace({ "w.json": old });
    const process_ = spawn(process.execPath, [child, join(dir, "w.json"), "slow"], { stdio: ["ignore", "pipe", "ignore"] });
    await new Promise<void>((resolve) => process_.stdout.once("data", () => resolve()));
    // wait until the temporary exists and is being filled, then kill
    const temporary = (): boolean => readdirSync(dir).some((name) => name.endsWith(".tmp"));
    for (let i = 0; i < 400 && !temporary(); i++) await new Promise((r) => setTimeout(r, 5));
    const midWrite = temporary();
    process_.kill("SIGKILL");
    const [, signal] = await new Promise<[number | null, string | null]>((resolve) => process_.once("exit", (code, sig) => resolve([code, sig])));
    expect(midWrite).toBe(true);
    expect(signal).toBe("SIGKILL");
    expect(readFileSync(join(dir, "w.json"), "utf8")).toBe(old);
  });
});
