/**
 * The `nnet` command. Each command is registered once here; a new one is a
 * module exporting a Command and one `register` line.
 */
import { checkCommand } from "./check";
import { findCommand, register, registered, UsageError, exit, type Io } from "./registry";
import { demoCommand } from "./demo";
import { evaluateCommand } from "./evaluate";
import { exportCommand } from "./export";
import { predictCommand } from "./predict";
import { gradcheckCommand } from "./gradcheck";
import { summaryCommand } from "./summary";
import { trainCommand } from "./train";
import { installSignalHandlers } from "./signals";
import { lspCommand } from "../lsp/index";
import { dapCommand } from "../dap/index";
import { closest } from "../language/index";
import { version } from "../../../package.json";

register(checkCommand);
register(summaryCommand);
register(trainCommand);
register(gradcheckCommand);
register(predictCommand);
register(evaluateCommand);
register(exportCommand);
register(demoCommand);
register(lspCommand());
register(dapCommand);

// Messages quote the .nnet file and its data (paths, CSV cells); their control characters are shown, not
// sent to the terminal. Newlines, tabs, the progress bar's \r and its erase-line sequence pass.
const visible = (text: string): string =>
  text.replace(/\x1b(?!\[K)|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
const io: Io = { out: (text) => process.stdout.write(visible(text)), err: (text) => process.stderr.write(visible(text)) };

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
    "Run 'nnet COMMAND --help' for a command's options, 'nnet --version' for the version.",
  ].join("\n");
}

// parseArgs explains an unknown option at length ("To specify a positional argument starting with a '-' …")
function usageMessage(failure: Error & { code?: string }): string {
  const option = /'(-[^']*)'/.exec(failure.message)?.[1];
  if (failure.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) return `unknown option '${option}'`;
  if (failure.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option && /argument missing/.test(failure.message)) return `${option.split(" ")[0]} needs a value`;
  return failure.message;
}

const wantsHelp = (args: string[]): boolean => args.includes("--help") || args.includes("-h");

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" && args[0] ? findCommand(args[0]) : undefined;
    io.out((topic ? topic.usage : mainUsage()) + "\n");
    return name === undefined ? exit.usage : exit.ok;
  }
  if (name === "--version" || name === "-v") return io.out(`nnet ${version}\n`), exit.ok;
  const command = findCommand(name);
  if (!command) {
    const suggestion = closest(name, registered().map((candidate) => candidate.name));
    io.err(`nnet: unknown command '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ""}\n\n${mainUsage()}\n`);
    return exit.usage;
  }
  if (wantsHelp(args)) return io.out(command.usage + "\n"), exit.ok;
  try {
    return await command.run(args, io);
  } catch (failure) {
    const usage = failure instanceof UsageError || (failure as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (!usage) throw failure;
    io.err(`nnet ${name}: ${usageMessage(failure as Error & { code?: string })}\n\n${command.usage}\n`);
    return exit.usage;
  }
}

// a closed pipe (nnet check … | head) ends the output, not the process with a stack trace
process.stdout.on("error", (failure: NodeJS.ErrnoException) => {
  if (failure.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw failure;
});

installSignalHandlers(io.err);

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (failure) => {
    process.stderr.write(`nnet: internal error: ${failure instanceof Error ? failure.stack ?? failure.message : String(failure)}\n`);
    process.exitCode = 2;
  },
);
