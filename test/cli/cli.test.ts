/**
 * Runs the built CLI as a child process: the bundle test/bundles.setup.ts
 * makes once for the run with the options of scripts/build.mjs, so this suite
 * does not depend on every other bundle building.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliRunner, removeWorkspaces } from "../training/helpers";

const root = resolve(__dirname, "../..");
const fixtures = join(root, "test/language/fixtures");
const nnet = cliRunner(root);
afterAll(removeWorkspaces);

describe("nnet check", () => {
  it("passes every example with exit code 0 and no output", () => {
    const examples = readdirSync(join(root, "examples")).filter((name) => name.endsWith(".nnet")).map((name) => `examples/${name}`);
    const result = nnet("check", ...examples);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(0);
  });

  it("prints FILE:LINE:COL: SEVERITY CODE: MESSAGE and exits 1 on errors", () => {
    const result = nnet("check", "test/language/fixtures/unknown-activation.nnet");
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split("\n");
    for (const line of lines) expect(line).toMatch(/^test\/language\/fixtures\/unknown-activation\.nnet:\d+:\d+: (error|warning|information|hint) nnet\/[a-z-]+: .+/);
    expect(lines).toContain("test/language/fixtures/unknown-activation.nnet:3:20: error nnet/unknown-activation: unknown activation 'tahn'; did you mean 'tanh'?");
  });

  it("reports a number past its range (1e309 is Infinity) at its token with the range, never using the default", () => {
    const result = nnet("check", "test/language/fixtures/out-of-range.nnet");
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toContain("test/language/fixtures/out-of-range.nnet:8:29: error nnet/out-of-range: 'lr' of sgd is 1e309, which overflows float64 (whose largest number is about 1.8e308); it must be a number greater than 0 (learning rate η)");
    expect(lines).toContain("test/language/fixtures/out-of-range.nnet:4:38: error nnet/out-of-range: 'alpha' of leaky_relu is 1e309, which overflows float64 (whose largest number is about 1.8e308); it must be a number, 0 or more (slope for z < 0)");
    expect(lines).toContain("test/language/fixtures/out-of-range.nnet:9:25: error nnet/out-of-range: tolerance is 1e309, which overflows float64 (whose largest number is about 1.8e308); it must be a number in (0, 1]");
    expect(lines.filter((line) => line.includes("nnet/out-of-range"))).toHaveLength(9);
  });

  it("exits 0 when there are only warnings and hints", () => {
    const result = nnet("check", "test/language/fixtures/unreachable-layer.nnet");
    expect(result.stdout).toContain("warning nnet/unreachable-layer");
    expect(result.code).toBe(0);
  });

  it("makes a missing data entry an error with --train", () => {
    expect(nnet("check", "test/language/fixtures/missing-data.nnet").code).toBe(0);
    const result = nnet("check", "--train", "test/language/fixtures/missing-data.nnet");
    expect(result.stdout).toContain("error nnet/missing-data");
    expect(result.code).toBe(1);
  });

  it("prints a JSON array of 0-based ranges with --json", () => {
    const result = nnet("check", "--json", "test/language/fixtures/dimension-mismatch.nnet");
    expect(result.code).toBe(1);
    const items = JSON.parse(result.stdout) as { file: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity: string; code: string; message: string }[];
    const mismatch = items.find((item) => item.code === "nnet/dimension-mismatch")!;
    expect(mismatch).toEqual({
      file: "test/language/fixtures/dimension-mismatch.nnet",
      range: { start: { line: 4, character: 21 }, end: { line: 4, character: 23 } },
      severity: "error",
      code: "nnet/dimension-mismatch",
      message: expect.stringContaining("'h2' has 4 units but 'h1' has 8"),
    });
  });

  it("exits 2 with a clear message for an unreadable file, and still checks the others", () => {
    const result = nnet("check", "no/such/file.nnet", "test/language/fixtures/unknown-loss.nnet");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no/such/file.nnet: cannot read: no such file");
    expect(result.stdout).toContain("nnet/unknown-loss");
  });

  it("exits 2 on bad usage", () => {
    expect(nnet("check").code).toBe(2);
    const unknownOption = nnet("check", "--frobnicate", "examples/xor.nnet");
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("Usage: nnet check");
    expect(nnet("frobnicate").code).toBe(2);
    expect(nnet().code).toBe(2);
  });

  it("reports every diagnostic of every fixture at the fixture's line:col", () => {
    const names = readdirSync(fixtures).filter((name) => name.endsWith(".nnet"));
    const result = nnet("check", ...names.map((name) => `test/language/fixtures/${name}`));
    const printed = new Set(result.stdout.trim().split("\n").map((line) => line.split(": ").slice(0, 2).join(": ")));
    let checked = 0;
    for (const name of names) {
      const expected = JSON.parse(readFileSync(join(fixtures, name.replace(/\.nnet$/, ".expected.json")), "utf8")) as { code: string; severity: string; range: string }[];
      for (const item of expected) {
        expect(printed).toContain(`test/language/fixtures/${name}:${item.range.split("-")[0]}: ${item.severity} ${item.code}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(names.length);
  });
});

describe("nnet summary", () => {
  it("prints the layer table with totals", () => {
    const result = nnet("summary", "examples/residual.nnet");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/layer\s+kind\s+from\s+units\s+activation\s+params/);
    expect(result.stdout).toMatch(/skip\s+add\s+h1, h3\s+16\s+-\s+0/);
    expect(result.stdout).toMatch(/h2\s+dense\s+h1\s+16\s+relu\s+272/);
    expect(result.stdout).toContain("total parameters: 611");
  });

  it("prints a NetworkSummary with --json", () => {
    const result = nnet("summary", "--json", "examples/iris.nnet");
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.network).toBe("iris");
    expect(summary.loss).toBe("cross_entropy");
    expect(summary.layers.map((layer: { name: string; params: number }) => [layer.name, layer.params])).toEqual([["measurements", 0], ["hidden", 80], ["species", 51]]);
    expect(summary.totalParams).toBe(131);
  });

  it("picks a network by name and suggests one for a typo", () => {
    const result = nnet("summary", "examples/iris.nnet", "--network", "irsi");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("did you mean 'iris'?");
  });

  it("exits 1 with the errors on stderr for a broken file", () => {
    const result = nnet("summary", "test/language/fixtures/unknown-layer.nnet");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nnet/unknown-layer");
    expect(result.stdout).toContain("total parameters");
  });
});

describe("nnet --help", () => {
  it("lists the commands and each command's usage", () => {
    const help = nnet("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: nnet COMMAND/);
    expect(help.stdout).toMatch(/check\s+check \.nnet files/);
    expect(help.stdout).toMatch(/summary\s+print a network/);
    const checkHelp = nnet("check", "--help");
    expect(checkHelp.code).toBe(0);
    expect(checkHelp.stdout).toContain("Exit codes: 0 no errors, 1 errors found, 2 bad usage");
    expect(nnet("summary", "-h").stdout).toContain("Usage: nnet summary (FILE | MODEL.nnetmodel)");
    for (const command of ["predict", "evaluate", "export"]) expect(help.stdout).toMatch(new RegExp(`\\n  ${command}\\s+\\S`));
  });
});
