/**
 * The CLI against input that used to give a silent wrong answer: a network
 * name two networks share, numbers written in another base, and a refused
 * data file whose message must say every way to allow it.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundles, removeWorkspaces, root, runCli, workspace, type CliResult } from "../training/helpers";

const { cli } = bundles();
afterAll(removeWorkspaces);

const nnet = (cwd: string, ...args: string[]): CliResult => runCli(cli, cwd, args);

const network = (name: string, hidden: number): string => `network ${name} {
  input x: 2
  layer hidden: dense ${hidden} tanh
  layer out: dense 1 sigmoid
  loss binary_cross_entropy
  data {
    0 0 -> 0
    1 1 -> 1
  }
  train { epochs 2 }
}
`;

describe("a network name two networks share", () => {
  const twins = network("twin", 3) + "\n" + network("twin", 5);

  it("train, gradcheck and summary refuse --network twin, naming the lines of both", () => {
    const dir = workspace({ "twins.nnet": twins });
    for (const command of ["train", "gradcheck", "summary"]) {
      const result = nnet(dir, command, "twins.nnet", "--network", "twin");
      expect(result.code, command).toBe(2);
      expect(result.stderr, command).toContain("twins.nnet: 2 networks are named 'twin' (lines 1 and 13)");
      expect(result.stdout, command).toBe("");
    }
  });

  it("train and gradcheck with no --network refuse the first network when its name is shared", () => {
    const dir = workspace({ "twins.nnet": twins });
    for (const command of ["train", "gradcheck"]) {
      const result = nnet(dir, command, "twins.nnet");
      expect(result.code, command).toBe(2);
      expect(result.stderr, command).toContain("twins.nnet: 2 networks are named 'twin' (lines 1 and 13)");
      expect(result.stdout, command).toBe("");
    }
  });

  it("check still reports the duplicate, and a name used once is still picked", () => {
    const dir = workspace({ "n.nnet": twins + "\n" + network("single", 4) });
    expect(nnet(dir, "check", "n.nnet").stdout).toContain("nnet/duplicate-name");
    const result = nnet(dir, "summary", "n.nnet", "--network", "single");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("network single");
  });
});

describe("integer options are plain decimal", () => {
  it.each([["--epochs", "0x10"], ["--epochs", "1e1"], ["--epochs", "+5"], ["--epochs", " 7"], ["--epochs", ""], ["--seed", "0x10"], ["--seed", "0b1"], ["--seed", "1.0"]])(
    "%s '%s' is refused", (option, value) => {
      const result = nnet(root, "train", "examples/xor.nnet", option, value);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${option} needs an integer ≥ ${option === "--seed" ? 0 : 1}, got '${value}' (decimal digits only)`);
      expect(result.stdout).toBe("");
    },
  );

  it("a decimal value is still taken", () => {
    const result = nnet(root, "train", "examples/xor.nnet", "--epochs", "016", "--seed", "10");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/trained xor: epoch 16\/16/);
  });
});

describe("a data file in a sibling folder", () => {
  it("the refusal names --workspace DIR as well as --allow-outside-workspace", () => {
    const text = "network n {\n  input x: 1\n  layer out: dense 1 sigmoid\n  loss bce\n  data csv(\"../data/d.csv\", target: \"y\")\n}\n";
    const dir = workspace({ "project/n.nnet": text, "data/d.csv": "a,y\n1,0\n" });
    for (const command of ["check", "train"]) {
      const result = nnet(join(dir, "project"), command, "n.nnet");
      const said = result.stdout + result.stderr;
      expect(said, command).toContain("outside the workspace");
      expect(said, command).toContain("--workspace DIR");
      expect(said, command).toContain("--allow-outside-workspace");
    }
  });
});

describe("columns after a character outside the BMP", () => {
  const line = "  layer out: /* 😀 𝔁 */ dense 1 tahn";
  const text = `network n {\n  input x: 2\n${line}\n  loss bce\n  data xor\n}\n`;
  const before = line.slice(0, line.indexOf("tahn"));

  it("nnet check, train and summary print COL in code points; --json keeps UTF-16 units as LSP does", () => {
    const dir = workspace({ "e.nnet": text });
    const column = [...before].length + 1;
    expect(column).toBe(before.length - 1);
    expect(nnet(dir, "check", "e.nnet").stdout).toContain(`e.nnet:3:${column}: error nnet/unknown-activation`);
    expect(nnet(dir, "train", "e.nnet").stderr).toContain(`e.nnet:3:${column}: error nnet/unknown-activation`);
    expect(nnet(dir, "summary", "e.nnet").stderr).toContain(`e.nnet:3:${column}: error nnet/unknown-activation`);
    const json = JSON.parse(nnet(dir, "check", "--json", "e.nnet").stdout) as { code: string; range: { start: { character: number } } }[];
    expect(json.find((d) => d.code === "nnet/unknown-activation")!.range.start.character).toBe(before.length);
  });

  it("the help says how columns are counted", () => {
    expect(nnet(root, "check", "--help").stdout).toContain("counts Unicode code points");
  });
});

describe("a CSV of one row and a million columns", () => {
  it("check (the whole file) and train (the checker's sample of a large file) refuse it with its width", () => {
    const header = Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(",") + ",label";
    const text = "network n {\n  input x: 2\n  layer out: dense 1 sigmoid\n  loss bce\n  data csv(\"w.csv\", target: \"label\")\n}\n";
    const dir = workspace({ "n.nnet": text, "w.csv": `${header}\n${"0,".repeat(1_000_000)}a\n` });
    const said = "w.csv: has 1,000,001 columns; the limit is 100,000";
    const check = nnet(dir, "check", "n.nnet");
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(said);
    const train = nnet(dir, "train", "n.nnet");
    expect(train.code).toBe(1);
    expect(train.stderr).toContain(said);
  });
});

describe("nnet gradcheck on a large network", () => {
  it("shows progress per layer and parameter on stderr, stdout keeping the table", () => {
    const result = nnet(root, "gradcheck", "examples/xor.nnet");
    expect(result.code).toBe(0);
    expect(result.stderr.split("\n").filter(Boolean)).toEqual([
      "checking hidden.W: 16 parameters (0 of 33 checked so far)",
      "checking hidden.b: 8 parameters (16 of 33 checked so far)",
      "checking out.W: 8 parameters (24 of 33 checked so far)",
      "checking out.b: 1 parameter (32 of 33 checked so far)",
    ]);
    expect(result.stdout).toContain("all layers PASS");
  });

  it("Ctrl-C stops it through the engine's stop flag, saying how far it got", async () => {
    // a million weights checked one by one: hours of work, so the stop always comes first
    const header = Array.from({ length: 1000 }, (_, i) => `f${i}`).join(",") + ",y";
    const row = Array.from({ length: 1000 }, (_, i) => ((i * 7) % 13) / 13).join(",") + ",0.5";
    const text = "network big {\n  input x: 1000\n  layer h: dense 1000 tanh\n  layer out: dense 1 identity\n  loss mse\n" +
      '  data csv("w.csv", target: "y")\n  gradcheck { samples 1, max_params 1000000 }\n}\n';
    const dir = workspace({ "big.nnet": text, "w.csv": `${header}\n${row}\n${row}\n` });
    const child = spawn(process.execPath, [cli, "gradcheck", "big.nnet"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.stderr.on("data", (data: Buffer) => {
      const first = stderr === "";
      stderr += data.toString();
      if (first) child.kill("SIGINT");
    });
    expect(await exited).toBe(1);
    expect(stderr).toContain("checking h.W: 1,000,000 parameters (0 of 1,002,001 checked so far)");
    expect(stderr).toMatch(/nnet: the gradient check was stopped after [\d,]+ of 1,002,001 parameters\n$/);
    expect(stdout).toBe("");
  });
});
