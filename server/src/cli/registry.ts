/**
 * The `nnet` commands as a small registry: each command is a name, a
 * one-line summary, its usage text and a run function returning the exit
 * code. main.ts registers them; `nnet --help` lists them.
 */

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  name: string;
  summary: string;
  /** full help: usage line, options, exit codes */
  usage: string;
  run(args: string[], io: Io): number | Promise<number>;
}

/** Exit codes shared by every command. */
export const exit = { ok: 0, problems: 1, usage: 2 } as const;

const commands = new Map<string, Command>();

export function register(command: Command): void {
  commands.set(command.name, command);
}

export function registered(): Command[] {
  return [...commands.values()];
}

export function findCommand(name: string): Command | undefined {
  return commands.get(name);
}

/** Thrown by option parsing; main prints it with the command's usage and exits 2. */
export class UsageError extends Error {}
