/**
 * The progress of `nnet gradcheck` on stderr, so a long check shows it is
 * alive and --json's standard output stays pure JSON: on a terminal one
 * \r-updated line, elsewhere a line as each layer's W or b begins.
 */
import type { GradcheckProgress } from "../engine/index";
import type { Io } from "./registry";

const count = (n: number): string => n.toLocaleString("en-US");

export function gradcheckProgress(io: Io, tty: boolean): { update(progress: GradcheckProgress): void; end(): void } {
  let drawn = false;
  return {
    update(p) {
      const what = `${p.layer}.${p.param}`;
      if (tty) {
        drawn = true;
        return io.err(`\rchecking ${what}: ${count(p.checked)}/${count(p.toCheck)}, ${count(p.done)} of ${count(p.total)} parameters checked\x1b[K`);
      }
      if (p.checked === 0) io.err(`checking ${what}: ${count(p.toCheck)} parameter${p.toCheck === 1 ? "" : "s"} (${count(p.done)} of ${count(p.total)} checked so far)\n`);
    },
    end() {
      if (drawn) io.err("\r\x1b[K");
      drawn = false;
    },
  };
}
