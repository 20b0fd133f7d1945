/** A second real client: neovim's built-in LSP client against `nnet lsp --stdio`. */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const cli = join(root, "out/cli.js");
const hasNvim = spawnSync("nvim", ["--version"]).status === 0;
if (!hasNvim) console.warn("test/nvim: skipped, neovim is not installed (apt-get install -y neovim)");

const text = `network spiral {
  input x: 2
  layer h1: dense 16 tahn
  layer out: dense 1 sigmoid
  loss binary_cross_entropy
}
`;

describe.skipIf(!hasNvim || !existsSync(cli))("neovim's LSP client", () => {
  const folder = mkdtempSync(join(tmpdir(), "nnet-nvim-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("receives a diagnostic and a hover from nnet lsp --stdio", () => {
    const file = join(folder, "spiral.nnet");
    const resultPath = join(folder, "result.json");
    writeFileSync(file, text);
    execFileSync("nvim", ["--headless", "--clean", "-u", "NONE", "-c", `luafile ${join(__dirname, "lsp-client.lua")}`], {
      env: {
        ...process.env, NNET_FILE: file, NNET_RESULT: resultPath, NNET_SERVER: `${process.execPath} ${cli} lsp --stdio`,
        NNET_HOVER_LINE: "4", NNET_HOVER_CHARACTER: "9",
      },
      timeout: 30_000, stdio: "pipe",
    });
    const result = JSON.parse(readFileSync(resultPath, "utf8")) as { diagnostics: { line: number; message: string }[]; hover?: string; error?: string };
    expect(result.error ?? null).toBeNull();
    const typo = result.diagnostics.find((d) => d.message.includes("tahn"));
    expect(typo?.line).toBe(2);
    expect(result.hover).toContain("∇ₐC = (aᵒᵘᵗ − y) ⊘ (aᵒᵘᵗ ⊙ (𝟏 − aᵒᵘᵗ))");
  });
});
