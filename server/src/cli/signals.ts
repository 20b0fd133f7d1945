/**
 * Ctrl-C and SIGTERM for the whole command. While a job runs they stop it
 * cleanly. Otherwise the command ends at once (exit 130 or 143), first
 * removing the temporary files of any atomic write still under way and
 * naming those it could not remove: a save must leave no stray file.
 */
import { removeTemporaries } from "../training/index";

const exitCodes = { SIGINT: 130, SIGTERM: 143 } as const;
let stopJob: (() => void) | undefined;

export function installSignalHandlers(err: (text: string) => void): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopJob) return stopJob();
      for (const path of removeTemporaries()) err(`nnet: could not remove the temporary file ${path}; delete it by hand\n`);
      process.exit(exitCodes[signal]);
    });
  }
}

/** While `outcome` is pending, a signal calls `stop` instead of ending the command. */
export async function whileJobRuns<T>(stop: () => void, outcome: Promise<T>): Promise<T> {
  stopJob = stop;
  try {
    return await outcome;
  } finally {
    stopJob = undefined;
  }
}
