/**
 * The `nnet` command. Each command is registered once here; a new one is a
 * module exporting a Command and one `register` line.
 */
import { checkCommand } from "./check";
import { findCommand, register, registered, UsageError, exit, type Io } from "./registry";
import { demoCommand } from "./demo";
import { gradcheckCommand } from "./gradcheck";
import { summaryCommand } from "./summary";
import { trainCommand } from "./train";
import { lspCommand } from "../lsp/index";

register(checkCommand);
register(summaryCommand);
register(trainCommand);
register(gradcheckCommand);
register(demoCommand);
register(lspCommand());

const io: Io = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

export function mainUsage(): string {
  const width = Math.max(...registered().map((command) => command.name.length));
  const lines = registered().map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    "Usage: nnet COMMAND [OPTIONS] [FILE…]",
    "",
    "Write, check and train feedforward networks declared in .nnet files.",
    "",
    "Commands:",
    ...lines,
    "",
    "Run 'nnet COMMAND --help' for a command's options.",
  ].join("\n");
}

const wantsHelp = (args: string[]): boolean => args.includes("--help") || args.includes("-h");

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" && args[0] ? findCommand(args[0]) : undefined;
    io.out((topic ? topic.usage : mainUsage()) + "\n");
    return name === undefined ? exit.usage : exit.ok;
  }
  const command = findCommand(name);
  if (!command) {
    io.err(`nnet: unknown command '${name}'\n\n${mainUsage()}\n`);
    return exit.usage;
  }
  if (wantsHelp(args)) return io.out(command.usage + "\n"), exit.ok;
  try {
    return await command.run(args, io);
  } catch (failure) {
    const usage = failure instanceof UsageError || (failure as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (!usage) throw failure;
    io.err(`nnet ${name}: ${(failure as Error).message}\n\n${command.usage}\n`);
    return exit.usage;
  }
}

// a closed pipe (nnet check … | head) ends the output, not the process with a stack trace
process.stdout.on("error", (failure: NodeJS.ErrnoException) => {
  if (failure.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw failure;
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (failure) => {
    process.stderr.write(`nnet: internal error: ${failure instanceof Error ? failure.stack ?? failure.message : String(failure)}\n`);
    process.exitCode = 2;
  },
);
