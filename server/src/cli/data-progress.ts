/**
 * The loading of a large CSV file on stderr, so a long load shows it is
 * alive and --json's standard output stays pure JSON: on a terminal one
 * \r-updated line, elsewhere a line every tenth of the file. A small file
 * loads too fast to need it.
 */
import { reportLoadingAbove } from "../training/index";
import type { Io } from "./registry";

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

export function dataProgress(io: Io, tty: boolean, shown: string): (done: number, total: number) => void {
  let tenth = -1;
  return (done, total) => {
    if (total <= reportLoadingAbove) return;
    const percent = Math.floor((done / total) * 100);
    const text = `reading ${shown}: ${percent}% (${mib(done)} of ${mib(total)} MiB)`;
    if (tty) return io.err(done >= total ? "\r\x1b[K" : `\r${text}\x1b[K`);
    if (Math.floor(percent / 10) === tenth) return;
    tenth = Math.floor(percent / 10);
    io.err(`${text}\n`);
  };
}
