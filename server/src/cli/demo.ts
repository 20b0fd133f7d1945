/** `nnet demo`: trains the bundled spiral example and checks its gradients, to see the whole path at once. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compileJob } from "../training/index";
import { gradcheckTable, metricsText, progressPrinter, runWithInterrupt } from "./job-output";
import { exit, type Command, type Io } from "./registry";

export const demoUsage = `Usage: nnet demo

Trains examples/spiral.nnet (two interleaved spirals, a 2-16-16-1 tanh
network), printing its progress and final accuracy, then checks the trained
network's gradients against central differences and prints the table.

Exit codes: 0 trained and every gradient passed, 1 otherwise.`;

// the bundle sits in out/, the examples beside it in the package root
function spiralPath(): string | undefined {
  return [join(__dirname, "../examples/spiral.nnet"), join(process.cwd(), "examples/spiral.nnet")].find((path) => existsSync(path));
}

const percent = (value: number | undefined): string => (value === undefined ? "n/a" : `${(100 * value).toFixed(1)}%`);

export async function runDemo(args: string[], io: Io, workerPath?: string): Promise<number> {
  parseArgs({ args, allowPositionals: false, options: {} });
  const path = spiralPath();
  if (!path) return io.err("nnet demo: examples/spiral.nnet is missing from this installation\n"), exit.problems;
  const compiled = compileJob({ kind: "train", text: readFileSync(path, "utf8"), path, displayName: "examples/spiral.nnet", gradcheckAfter: true });
  if (!compiled.ok) return io.err(compiled.problems.join("\n") + "\n"), exit.problems;
  const { request } = compiled;
  io.out(`training ${request.network.name} from examples/spiral.nnet: ${compiled.summary.totalParams} parameters, ${request.train.epochs} epochs\n`);
  const started = Date.now();
  const printer = progressPrinter(io, request.train.epochs, { json: false, tty: process.stdout.isTTY === true });
  const outcome = await runWithInterrupt(request, printer.epoch, workerPath);
  printer.end();
  if (outcome.status === "failed") return io.err(`nnet demo: training failed: ${outcome.failure.message}\n`), exit.problems;
  const last = outcome.result.history[outcome.result.history.length - 1];
  if (outcome.status === "cancelled" || !last) return io.err("nnet demo: stopped\n"), exit.problems;
  io.out(`final: ${metricsText(last, request.train.epochs)}\n`);
  io.out(`training accuracy ${percent(last.accuracy)}, validation accuracy ${percent(last.valAccuracy)} (${((Date.now() - started) / 1000).toFixed(1)} s)\n\n`);
  const checked = outcome.result.gradcheck;
  if (!checked) return io.err("nnet demo: the gradient check did not run\n"), exit.problems;
  io.out(gradcheckTable(checked) + "\n");
  return checked.report.passed ? exit.ok : exit.problems;
}

export const demoCommand: Command = { name: "demo", summary: "train the spiral example and check its gradients", usage: demoUsage, run: (args, io) => runDemo(args, io) };
