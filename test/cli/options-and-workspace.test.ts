/**
 * The CLI as a demanding user meets it: data files outside the workspace in
 * `check` and `summary`, negative or zero option values, an empty file, and
 * the demo's wording. Runs the bundled CLI in a child process.
 */
import { spawnSync } from "node:child_process";
import { lstatSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundles, removeWorkspaces, root, runCli, workspace, type CliResult } from "../training/helpers";

const { cli } = bundles();
afterAll(removeWorkspaces);

const nnet = (cwd: string, ...args: string[]): CliResult => runCli(cli, cwd, args);

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

  it("--epochs and --seed past the file's ranges are refused, not run (10^7 epochs, a seed beyond 2^53)", () => {
    const epochs = nnet(root, "train", "examples/xor.nnet", "--epochs", "10000000");
    expect([epochs.code, epochs.stdout]).toEqual([2, ""]);
    expect(epochs.stderr).toContain("--epochs needs an integer from 1 to 1,000,000, got '10000000'");
    const seed = nnet(root, "train", "examples/xor.nnet", "--seed", "100000000000000000000");
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain("--seed needs an integer from 0 to 9,007,199,254,740,991, got '100000000000000000000'");
    // only decimal digits: 0x10 and 1e3 are not read as 16 and 1000
    for (const written of ["0x10", "1e3", " "]) expect(nnet(root, "train", "examples/xor.nnet", "--epochs", written).stderr).toContain(`--epochs needs an integer ≥ 1, got '${written}'`);
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

describe("nnet gradcheck", () => {
  it("prints ε and the tolerance as they are written in the file (1e-5, not 0.00001)", () => {
    const result = nnet(root, "gradcheck", "examples/spiral.nnet");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toMatch(/^gradient check of spiral: ε = 1e-7, tolerance 1e-5, batch loss \d/);
  });
});

describe("a network too large to allocate", () => {
  it("is refused by the checker at the layer, with its size, before anything is allocated", () => {
    const dir = workspace({ "big.nnet": "network big {\n input x: 2\n layer h: dense 1000 tanh\n layer h2: dense 99999999 tanh\n layer out: dense 1 sigmoid\n loss bce\n data xor\n}\n" });
    const refusal = "big.nnet:4:18: error nnet/too-many-parameters: the network has 100,100,001,999 parameters up to layer 'h2' (100,099,998,999 in this layer), more than the limit of 64,000,000: 801 GB of float64 weights, 2,400 GB to train with sgd (weights, gradients and optimizer state); use fewer units\n";
    expect(nnet(dir, "check", "big.nnet")).toMatchObject({ code: 1, stdout: refusal });
    const train = nnet(dir, "train", "big.nnet");
    expect(train).toMatchObject({ code: 1, stderr: refusal });
    const gradcheck = nnet(dir, "gradcheck", "big.nnet");
    expect(gradcheck).toMatchObject({ code: 1, stderr: refusal });
  });
});

describe("control characters from the file", () => {
  it("are shown escaped, never sent to the terminal (an escape sequence in a CSV path)", () => {
    const dir = workspace({ "esc.nnet": 'network n {\n input x: 2\n layer out: dense 1 sigmoid\n loss bce\n data csv("\x1b[2J\x1b]0;title\x07.csv", target: "y")\n}\n' });
    const result = nnet(dir, "check", "esc.nnet");
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(result.stdout).toContain("cannot read the CSV file '\\x1b[2J\\x1b]0;title\\x07.csv'");
  });

  it("a binary file gets readable lexer errors", () => {
    const dir = workspace({ "bin.nnet": new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00]) });
    const result = nnet(dir, "check", "bin.nnet");
    expect(result.stdout.split("\n")[0]).toBe("bin.nnet:1:1: error nnet/syntax: unexpected character 'U+007F'; expected a name, a number, a string or one of { } ( ) : , ; ->");
    expect(result.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });
});

describe("nnet train --save onto something that is not a file", () => {
  it("refuses a pipe (or a device such as /dev/null) before training, and leaves it in place", () => {
    const dir = workspace();
    const fifo = join(dir, "pipe.nnetmodel");
    const made = spawnSync("mkfifo", [fifo]);
    if (made.error || made.status !== 0) return console.warn("mkfifo unavailable: test skipped");
    const result = nnet(root, "train", "examples/xor.nnet", "--epochs", "2", "--save", fifo);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot save: ${fifo}: is not a regular file (a device, pipe or socket)`);
    expect(result.stdout).toBe("");
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe("usage errors", () => {
  it("suggest the command meant by a typo", () => {
    const result = nnet(root, "trian", "examples/xor.nnet");
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe("nnet: unknown command 'trian'; did you mean 'train'?");
    expect(nnet(root, "zzz").stderr.split("\n")[0]).toBe("nnet: unknown command 'zzz'");
  });

  it("name an unknown option or a missing value in a few words, then the usage", () => {
    const unknown = nnet(root, "check", "--frobnicate", "examples/xor.nnet");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split("\n")[0]).toBe("nnet check: unknown option '--frobnicate'");
    expect(unknown.stderr).toContain("Usage: nnet check");
    const missing = nnet(root, "train", "examples/xor.nnet", "--network");
    expect(missing.code).toBe(2);
    expect(missing.stderr.split("\n")[0]).toBe("nnet train: --network needs a value");
  });
});

describe("nnet train --json with warnings", () => {
  it("keeps standard output pure JSON lines and gives the file's warnings on stderr", () => {
    const dir = workspace({
      "warned.nnet": "network w {\n  input x: 2\n  layer out: dense 1 sigmoid\n  loss mse\n  data xor\n  train { epochs 2, batch full }\n}\n",
    });
    const run = nnet(dir, "train", "warned.nnet", "--json");
    expect(run.code).toBe(0);
    const events = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { event: string });
    expect(events.map((event) => event.event)).toEqual(["epoch", "epoch", "done"]);
    expect(run.stderr).toMatch(/warned\.nnet:4:\d+: warning nnet\/mse-on-saturating-output/);
  });
});
