/**
 * `nnet export --to pytorch` reads the model's CSV to carry its rows: a long
 * read shows its progress and Ctrl-C stops it there, with the documented
 * exit status and nothing written. The read is held after its first
 * progress report (NNET_TEST_HOLD_READ), so the signal always lands mid-read.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundles, removeWorkspaces, workspace, writeCsvRows } from "../training/helpers";

afterAll(removeWorkspaces);

const features = Array.from({ length: 16 }, (_, k) => `f${k}`);
const cells = (r: number): string =>
  [...features.map((_, k) => (((Math.imul(r + 1, 2654435761) ^ Math.imul(k + 3, 40503)) >>> 0) / 2 ** 32).toFixed(9)), r % 2 ? "yes" : "no"].join(",");

describe("nnet export on a large CSV", () => {
  it("Ctrl-C during the read exits 130 before the read ends and writes nothing", { timeout: 120_000 }, async () => {
    const dir = workspace({
      "m.nnet": `network m {
  input x: ${features.length}
  layer h: dense 4 tanh
  layer out: dense 2 softmax
  loss cross_entropy
  data csv("big.csv", target: "label")
  train { epochs 1, batch 32, seed 3 }
}
`,
    });
    writeCsvRows(join(dir, "big.csv"), `${features.join(",")},label`, 12 * 2 ** 20, cells);
    const child = spawn(process.execPath, [bundles().cli, "export", "m.nnet", "--to", "pytorch", "--out", "py"], { cwd: dir, env: { ...process.env, NNET_TEST_HOLD_READ: "1" } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      const first = !stderr.includes("reading big.csv:");
      stderr += chunk.toString();
      if (first && stderr.includes("reading big.csv:")) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    expect(stderr).toMatch(/^reading big\.csv: \d+% \(\d+ of 12 MiB\)$/m);
    expect(stderr).not.toContain("100%");
    expect(code).toBe(130);
    expect(existsSync(join(dir, "py"))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(["big.csv", "m.nnet"]);
  });
});
