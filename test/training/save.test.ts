/**
 * Atomic saving: a failure or a crash at any point of a save leaves the
 * previous file whole; a completed save leaves the new one.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTemporaries, writeFileAtomic } from "../../server/src/training/index";
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

  it("keeps the old file when the process is killed in the middle of writing", async () => {
    const dir = workspace({ "w.json": old });
    const saving = paused(dir);
    const { temporary } = await saving.paused;
    // the child is blocked mid-write: its temporary holds one chunk and the target is untouched
    expect(readFileSync(temporary, "utf8")).toBe("new ".repeat(1024));
    saving.child.kill("SIGKILL");
    expect(await saving.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(readFileSync(join(dir, "w.json"), "utf8")).toBe(old);
  });
});

describe("writing chunks", () => {
  it("writes the bytes of every chunk, in order", () => {
    const dir = workspace({ "m.bin": old });
    writeFileAtomic(join(dir, "m.bin"), [Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3), new Uint8Array(70_000).fill(9)]);
    const bytes = readFileSync(join(dir, "m.bin"));
    expect([...bytes.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect(bytes.length).toBe(70_003);
    expect(bytes.subarray(3).every((b) => b === 9)).toBe(true);
    expect(readdirSync(dir)).toEqual(["m.bin"]);
  });

  it("keeps the old file and no temporary when a chunk's source throws", () => {
    const dir = workspace({ "m.bin": old });
    function* failing(): Generator<Uint8Array> {
      yield Uint8Array.of(1);
      throw new Error("encoder failed");
    }
    expect(() => writeFileAtomic(join(dir, "m.bin"), failing())).toThrow("encoder failed");
    expect(readFileSync(join(dir, "m.bin"), "utf8")).toBe(old);
    expect(readdirSync(dir)).toEqual(["m.bin"]);
  });
});

describe("temporaries on a signal", () => {
  it("removeTemporaries removes a temporary being written; the write then fails and the old file stays", () => {
    const dir = workspace({ "w.json": old });
    let removed: string[] | undefined;
    let during: string[] = [];
    function* chunks(): Generator<Uint8Array> {
      yield Uint8Array.of(1);
      during = readdirSync(dir);
      removed = removeTemporaries();
      yield Uint8Array.of(2);
    }
    expect(() => writeFileAtomic(join(dir, "w.json"), chunks())).toThrow(/ENOENT/);
    expect(during.some((name) => name.endsWith(".tmp"))).toBe(true);
    expect(removed).toEqual([]);
    expect(readdirSync(dir)).toEqual(["w.json"]);
    expect(readFileSync(join(dir, "w.json"), "utf8")).toBe(old);
    expect(removeTemporaries()).toEqual([]);
  });

  it("Ctrl-C under the CLI's handlers during a save leaves one whole file and no temporary, and exits 130", async () => {
    const dir = workspace({ "w.json": old });
    const saving = paused(dir, "handlers");
    await saving.paused;
    saving.child.kill("SIGINT");
    // the signal is pending before the child can read this line, so it is handled once the write is done
    saving.child.stdin!.end("go\n");
    expect(await saving.exited).toEqual({ code: 130, signal: null });
    expect(readdirSync(dir)).toEqual(["w.json"]);
    expect(readFileSync(join(dir, "w.json"), "utf8")).toBe("new ".repeat(2048));
  });

  it("the CLI's handler names a temporary it could not remove", () => {
    const dir = workspace({ "w.json": old });
    const result = spawnSync(process.execPath, [child, join(dir, "w.json"), "unremovable"], { encoding: "utf8" });
    expect(result.status).toBe(130);
    const left = readdirSync(dir).find((name) => name.endsWith(".tmp"))!;
    expect(result.stderr).toBe(`nnet: could not remove the temporary file ${join(dir, left)}; delete it by hand\n`);
    expect(readFileSync(join(dir, "w.json"), "utf8")).toBe(old);
  });
});

// Starts the child in a pausing mode; `paused` resolves once it is blocked in the middle of its write.
function paused(dir: string, mode = "pause") {
  const process_ = spawn(process.execPath, [child, join(dir, "w.json"), mode], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => process_.once("exit", (code, signal) => resolve({ code, signal })));
  const pausedAt = new Promise<{ temporary: string }>((resolve, reject) => {
    let out = "";
    process_.stdout.on("data", (data: Buffer) => {
      out += data.toString();
      const match = /^paused (.*)\n/.exec(out);
      if (match) resolve({ temporary: match[1] });
    });
    process_.once("exit", () => reject(new Error(`the child ended before pausing: ${out}`)));
  });
  return { child: process_, paused: pausedAt, exited };
}
