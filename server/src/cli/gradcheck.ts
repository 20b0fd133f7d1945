/** `nnet gradcheck FILE`: BP1–BP4 against central differences (backprop §6.5), per layer and parameter. */
import { parseArgs } from "node:util";
import { fileOptions, compileFile } from "./train";
import { dataProgress } from "./data-progress";
import { errorEvent, gradcheckJson, gradcheckTable, runWithInterrupt } from "./job-output";
import { exit, UsageError, type Command, type Io } from "./registry";
import { gradcheckProgress } from "./gradcheck-progress";

export const gradcheckUsage = `Usage: nnet gradcheck FILE [--network NAME] [--json]

Checks every analytic gradient ∂C/∂W and ∂C/∂b of a freshly initialised
network against the central difference (C(θ+ε) − C(θ−ε)) / 2ε on a batch of
its data, with the epsilon, tolerance, samples and max_params of its
gradcheck { } block, and prints one PASS/FAIL row per layer and parameter.
Progress goes to stderr: on a terminal one updated line, otherwise a line per
layer and parameter. Ctrl-C stops the check between two parameters (exit 1).

Options:
  --network NAME              the network to check
  --json                      print the network, its parameters, the batch and
                              both gradients, so any tool can recompute them
  --workspace DIR             data files must lie inside DIR (default: FILE's folder)
  --allow-outside-workspace   read data files anywhere
  -h, --help                  show this help

Exit codes: 0 every layer passes, 1 a layer fails or the file has errors,
2 bad usage, an unreadable file or an unknown network.`;

export async function runGradcheck(args: string[], io: Io, workerPath?: string): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: fileOptions });
  if (positionals.length !== 1) throw new UsageError("nnet gradcheck needs exactly one FILE");
  const compiled = compileFile({ ...values, file: positionals[0] }, "gradcheck", io);
  if (typeof compiled === "number") return compiled;
  const progress = gradcheckProgress(io, process.stderr.isTTY === true);
  const outcome = await runWithInterrupt(compiled.request, () => undefined, workerPath, {
    onGradcheckProgress: progress.update, onDataProgress: dataProgress(io, process.stderr.isTTY === true, compiled.request.data.csv?.shown ?? "the data"),
  });
  progress.end();
  if (outcome.status === "failed") {
    if (values.json) io.out(JSON.stringify(errorEvent(outcome.failure)) + "\n");
    else io.err(`nnet: gradient check failed to run: ${outcome.failure.message}\n`);
    return exit.problems;
  }
  const checked = outcome.result.gradcheck;
  if (!checked) {
    const stopped = outcome.result.gradcheckStopped;
    io.err(`nnet: the gradient check was stopped${stopped ? ` after ${stopped.done.toLocaleString("en-US")} of ${stopped.total.toLocaleString("en-US")} parameters` : ""}\n`);
    return exit.problems;
  }
  io.out(values.json ? JSON.stringify(gradcheckJson(compiled.request.network, checked)) + "\n" : gradcheckTable(checked) + "\n");
  return checked.report.passed ? exit.ok : exit.problems;
}

export const gradcheckCommand: Command = {
  name: "gradcheck", summary: "check a network's gradients against central differences", usage: gradcheckUsage, run: (args, io) => runGradcheck(args, io),
};
