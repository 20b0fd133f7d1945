/**
 * The CLI as a demanding user meets it: data files outside the workspace in
 * `check` and `summary`, negative or zero option values, an empty file, and
 * the demo's wording. Runs the bundled CLI in a child process.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundles, removeWorkspaces, root, workspace } from "../training/helpers";

let cli = "";
beforeAll(async () => {
  cli = (await buildBundles()).cli;
});
afterAll(removeWorkspaces);

function nnet(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const reader = (path: string): string => `network n {
  input x: 2
  layer out: dense 1 sigmoid
  loss bce
  data csv("${path}", target: "label")
}
`;

// a file outside the project whose contents must not show up in any message
const secret = "token,label\nSECRET-VALUE,1\n";

describe("data files outside the workspace", () => {
  it("nnet check refuses a relative path that leaves the file's folder, without reading it", () => {
    const dir = workspace({ "project/n.nnet": reader("../secret.csv"), "secret.csv": secret });
    const result = nnet(dir, "check", "project/n.nnet");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^project\/n\.nnet:5:12: error nnet\/csv-missing-file: the data file '.*secret\.csv' resolves to .*secret\.csv, outside the workspace .*project; /);
    expect(result.stdout + result.stderr).not.toMatch(/SECRET-VALUE|token/);
  });

  it("nnet check refuses an absolute path elsewhere, and --allow-outside-workspace or --workspace lift the rule", () => {
    const dir = workspace({ "project/n.nnet": "", "secret.csv": secret });
    const text = reader(join(dir, "secret.csv"));
    const file = workspace({ "n.nnet": text });
    const refused = nnet(file, "check", "n.nnet");
    expect(refused.stdout).toContain("outside the workspace");
    expect(refused.stdout).not.toContain("SECRET-VALUE");
    for (const lifted of [nnet(file, "check", "--allow-outside-workspace", "n.nnet"), nnet(file, "check", "--workspace", dir, "n.nnet")]) {
      expect(lifted.stdout).not.toContain("outside the workspace");
      expect(lifted.stdout).toContain("nnet/data-features-mismatch");
    }
  });

  it("nnet summary applies the same rule", () => {
    const dir = workspace({ "project/n.nnet": reader("../secret.csv"), "secret.csv": secret });
    const result = nnet(dir, "summary", "project/n.nnet");
    expect(result.stderr).toContain("outside the workspace");
    expect(result.stdout + result.stderr).not.toMatch(/SECRET-VALUE|token/);
  });

  it("a missing file still gets the hint that paths are relative to the .nnet file", () => {
    const dir = workspace({ "n.nnet": reader("nope.csv") });
    expect(nnet(dir, "check", "n.nnet").stdout).toContain("check the path, which is relative to this .nnet file");
  });
});

describe("option values", () => {
  it("--epochs -1 and --seed -3 are bad numbers, not 'ambiguous' options", () => {
    const epochs = nnet(root, "train", "examples/xor.nnet", "--epochs", "-1");
    expect(epochs.code).toBe(2);
    expect(epochs.stderr).toContain("nnet train: --epochs needs an integer ≥ 1, got '-1'");
    expect(epochs.stderr).not.toContain("ambiguous");
    const seed = nnet(root, "train", "examples/xor.nnet", "--seed", "-3");
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain("--seed needs an integer ≥ 0, got '-3'");
  });

  it("--epochs 0 is refused like 'epochs 0' in the file, rather than 'training' nothing with exit 0", () => {
    const result = nnet(root, "train", "examples/xor.nnet", "--epochs", "0");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--epochs needs an integer ≥ 1, got '0'");
    expect(result.stdout).toBe("");
  });
});

describe("files without a network", () => {
  it("train says the file has no network, in the words summary uses", () => {
    const dir = workspace({ "empty.nnet": "", "comments.nnet": "// only a comment\n/* and another */\n" });
    for (const file of ["empty.nnet", "comments.nnet"]) {
      const train = nnet(dir, "train", file);
      expect(train.code).toBe(2);
      expect(train.stderr).toContain(`${file}: no network in the file`);
      expect(nnet(dir, "summary", file).stderr).toContain(`${file}: no network in the file`);
    }
  });
});

describe("nnet demo", () => {
  it("writes percentages as the progress lines do (99.4%, not 99.4 %)", () => {
    const result = nnet(root, "demo");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/training accuracy \d+\.\d%, validation accuracy \d+\.\d%/);
  });
});
