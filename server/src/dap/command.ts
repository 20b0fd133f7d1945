/** `nnet dap`: the debug adapter over standard input and output, for VS Code and other DAP clients. */
import { enableRelaxedSimd } from "../training/index";
import { NnetDebugSession } from "./session";

const usage = `Usage: nnet dap

Runs the NNet Lab debug adapter (Debug Adapter Protocol) on standard input and
output: a client launches it with { "program": FILE.nnet, "network", "batch",
"startAt", "stopOnEntry", "seed" } and steps one training step point by point
through the forward pass, the loss and BP1–BP4. See docs/debugging.md.

Exit codes: 0 when the client disconnects, 2 bad usage.`;

export const dapCommand = {
  name: "dap",
  summary: "run the debug adapter for stepping through backpropagation (stdio)",
  usage,
  run(args: string[], io: { err(text: string): void }): number | Promise<number> {
    if (args.length > 0) {
      io.err(`nnet dap: unknown option ${args.join(" ")}\n\n${usage}\n`);
      return 2;
    }
    enableRelaxedSimd(); // before any WebAssembly is compiled, as the training worker does
    const session = new NnetDebugSession();
    session.start(process.stdin, process.stdout);
    // the session exits the process when the client disconnects; until then this never settles
    return new Promise<number>((resolve) => process.stdin.on("close", () => resolve(0)));
  },
};
