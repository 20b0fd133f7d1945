/** Shared by the training tests: the bundled worker, temporary workspaces and example files. */
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { inject } from "vitest";
import { compileJob, startJob, type CompileInput, type EpochMessage, type HostOptions, type JobOutcome, type JobRequest } from "../../server/src/training/index";

export const root = resolve(__dirname, "../..");

/** The CLI and the worker, bundled once for the run by test/bundles.setup.ts (cli.js finds worker.js beside it). */
export const bundles = (): { cli: string; worker: string } => inject("bundles");

const created: string[] = [];

/** Removes every folder workspace() made in this test file (call from afterAll). */
export function removeWorkspaces(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function workspace(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "nnet-ws-"));
  created.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

export const example = (name: string): { path: string; text: string } => {
  const path = join(root, "examples", name);
  return { path, text: readFileSync(path, "utf8") };
};

/** Compiles, failing the test with the problems when the file does not compile. */
export function request(input: CompileInput): JobRequest {
  const compiled = compileJob(input);
  if (!compiled.ok) throw new Error(`did not compile:\n${compiled.problems.join("\n")}`);
  return compiled.request;
}

export function problems(input: CompileInput): string[] {
  const compiled = compileJob(input);
  if (compiled.ok) throw new Error("expected the file to be refused");
  return compiled.problems;
}

export async function runToEnd(job: JobRequest, options: HostOptions): Promise<{ outcome: JobOutcome; epochs: EpochMessage[] }> {
  const epochs: EpochMessage[] = [];
  const outcome = await startJob(job, (m) => epochs.push(m), options).outcome;
  return { outcome, epochs };
}

/** A network over CSV data in a workspace. */
export const csvNetwork = (path: string, target = "label", outputs = "dense 1 sigmoid", loss = "binary_cross_entropy"): string => `network n {
  input x: 2
  layer h: dense 4 tanh
  layer out: ${outputs}
  loss ${loss}
  data csv("${path}", target: "${target}")
  train { epochs 3, batch 4 }
}
`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled CLI to the end in `cwd`. */
export function runCli(cli: string, cwd: string, args: string[]): CliResult {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `nnet ARGS` run to the end in `cwd`, as a user types it. */
export const cliRunner = (cwd: string): ((...args: string[]) => CliResult) => (...args) => runCli(bundles().cli, cwd, args);

/** `make`'s answer, made at the first call: one run that several tests read, each still runnable alone. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** The objects of `--json` output, one a line. */
export const jsonLines = (text: string): Record<string, unknown>[] => text.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));

/** Writes `header` and then rows `line(0)`, `line(1)`, … until the file passes `bytes`, a MiB at a time; returns the row count. */
export function writeCsvRows(path: string, header: string, bytes: number, line: (r: number) => string): number {
  const fd = openSync(path, "w");
  writeSync(fd, `${header}\n`);
  let size = 0;
  let rows = 0;
  let chunk = "";
  while (size < bytes) {
    const text = `${line(rows)}\n`;
    chunk += text;
    size += text.length;
    rows++;
    if (chunk.length > 1 << 20) { writeSync(fd, chunk); chunk = ""; }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  return rows;
}
