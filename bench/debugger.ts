// The debugger against training, over the real processes: Continue with no
// breakpoints in `nnet dap` against `nnet train` on the same file (each the
// whole process: start, compile, data, training), and the time one Step Over
// takes on a 784-128-64-10 network at batch 64, from the request to the
// stopped event, alone and with the stack, scopes and variables an editor
// asks for after each stop. `npm run bench` (after the build); results also
// go to bench/results/debugger-latest.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DebugClient } from "@vscode/debugadapter-testsupport";
import { Rng } from "../server/src/engine/index";
import { spread, type Spread } from "./timing";

const root = resolve(__dirname, "../..");
const cli = join(root, "out/cli.js");
const quick = process.argv.includes("--quick");
const rounds = quick ? 3 : 5;

function mnistShaped(dir: string, epochs: number): string {
  const rng = new Rng(11);
  const header = [...Array.from({ length: 784 }, (_, i) => `p${i}`), "digit"].join(",");
  const rows = Array.from({ length: 2048 }, () => [...Array.from({ length: 784 }, () => rng.next().toFixed(3)), String(rng.int(10))].join(","));
  writeFileSync(join(dir, "digits.csv"), `${header}\n${rows.join("\n")}\n`);
  const file = join(dir, "digits.nnet");
  writeFileSync(file, `network digits {
  input x: 784
  layer h1: dense 128 relu
  layer h2: dense 64 relu
  layer out: dense 10 softmax
  loss cross_entropy
  data csv("digits.csv", target: "digit", classes: 10)
  train {
    optimizer sgd(lr: 0.01)
    epochs ${epochs}
    batch 64
    seed 1
  }
}
`);
  return file;
}

async function startClient(): Promise<DebugClient> {
  const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
  const dc = new DebugClient(quote(process.execPath), `${quote(cli)} dap`, "nnet", { shell: true });
  dc.defaultTimeout = 600_000;
  await dc.start();
  return dc;
}

async function launch(dc: DebugClient, program: string, stopOnEntry: boolean, until: "stopped" | "terminated"): Promise<void> {
  await Promise.all([
    dc.waitForEvent("initialized").then(() => dc.configurationDoneRequest()),
    dc.launch({ program, stopOnEntry } as never),
    dc.waitForEvent(until),
  ]);
}

function trainSeconds(file: string): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, [cli, "train", file, "--json"], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`nnet train ${file} failed: ${run.stderr}`);
  return (performance.now() - start) / 1000;
}

async function continueSeconds(file: string): Promise<number> {
  const start = performance.now();
  const dc = await startClient();
  await launch(dc, file, false, "terminated");
  const seconds = (performance.now() - start) / 1000;
  await dc.stop();
  return seconds;
}

interface ContinueFigure {
  file: string;
  trainSeconds: Spread;
  continueSeconds: Spread;
  /** nnet train's median time over Continue's: 1 is as fast */
  ratio: number;
}

async function continueAgainstTrain(name: string, file: string): Promise<ContinueFigure> {
  const train: number[] = [];
  const debug: number[] = [];
  for (let r = 0; r < rounds; r++) {
    train.push(trainSeconds(file));
    debug.push(await continueSeconds(file));
  }
  const figure = { file: name, trainSeconds: spread(train), continueSeconds: spread(debug), ratio: spread(train).median / spread(debug).median };
  const show = (s: Spread): string => `${s.median.toFixed(2)} s (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
  console.log(`${name.padEnd(34)} nnet train ${show(figure.trainSeconds).padEnd(22)} Continue ${show(figure.continueSeconds).padEnd(22)} speed ${(100 * figure.ratio).toFixed(0)} % of train`);
  return figure;
}

interface StepFigure {
  steps: number;
  stepMs: Spread;
  stepAndRefreshMs: Spread;
}

// Step Over through the points of several training steps; the first stop's work (compile, data) is not timed.
async function stepLatency(file: string): Promise<StepFigure> {
  const dc = await startClient();
  await launch(dc, file, true, "stopped");
  const steps = quick ? 60 : 150;
  const alone: number[] = [];
  const refreshed: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    await Promise.all([dc.nextRequest({ threadId: 1 }), dc.waitForEvent("stopped")]);
    alone.push(performance.now() - start);
    await dc.stackTraceRequest({ threadId: 1 });
    const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
    await dc.variablesRequest({ variablesReference: scopes[0].variablesReference });
    refreshed.push(performance.now() - start);
  }
  await dc.stop();
  const figure = { steps, stepMs: spread(alone), stepAndRefreshMs: spread(refreshed) };
  const show = (s: Spread): string => `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
  console.log(`Step Over on 784-128-64-10, batch 64, ${steps} points: ${show(figure.stepMs)}; with stack, scopes and variables: ${show(figure.stepAndRefreshMs)}`);
  return figure;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nnet-debugger-bench-"));
  try {
    console.log(`debugger: ${rounds} rounds, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load ${loadavg()[0].toFixed(2)}`);
    const figures = {
      spiral: await continueAgainstTrain("spiral.nnet (2-16-16-1, 6000 steps)", join(root, "examples/spiral.nnet")),
      digits: await continueAgainstTrain("784-128-64-10 batch 64, 128 steps", mnistShaped(dir, 4)),
      step: await stepLatency(mnistShaped(dir, 4)),
    };
    mkdirSync(join(root, "bench/results"), { recursive: true });
    writeFileSync(join(root, "bench/results/debugger-latest.json"), `${JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, load: loadavg()[0], rounds, ...figures }, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((failure) => {
  console.error(failure);
  process.exit(1);
});
