/**
 * How a multiply thread waits for a shared word to change: it polls for a
 * while, then sleeps on it (Atomics.wait). Products follow one another
 * closely while training, and waking a sleeping thread through the kernel
 * costs more than a short poll; but a polling thread holds a core, which the
 * thread it waits for may need. So a thread that finds, twice within 0.1 s,
 * that it lost its core while polling (a long gap between two looks at the
 * clock) stops polling for 10 s; once alone is taken for a hiccup. With more
 * threads than cores none polls at all.
 *
 * 784-128-64-10 on 2 threads, 2 cores, medians of 6 runs (examples/s),
 * each batch alternating the versions (docs/performance.md):
 * - quiet: polling always 48.5k and 40.7k, pausing 45.0k and 38.7k;
 * - beside 2 busy processes: polling always 12.4k and 12.8k, pausing 19.8k
 *   and 16.7k, 1 thread 18.9k;
 * - 4 threads on 2 cores, quiet: 6k polling, 40k not.
 */

/** A thread's polling: for how long (ms), and until when (its clock) it does not because it lost its core. */
export interface Poll {
  ms: number;
  pausedUntil: number;
  /** when it last found it had lost its core */
  lostAt: number;
  now: () => number;
}

const pollMs = 0.9;
const lostCoreMs = 0.25;
const pauseMs = 10_000;
const twiceWithinMs = 100;

// The threads get this as source, and the calling thread runs the same text (waitWhile below).
export const waitSource = `
function newPoll(ms) {
  return { ms, pausedUntil: 0, lostAt: -Infinity, now: () => performance.now() };
}
function waitWhile(state, at, value, poll) {
  let last = poll.now();
  if (poll.ms > 0 && last >= poll.pausedUntil) {
    const until = last + poll.ms;
    for (let spin = 1; Atomics.load(state, at) === value; spin++) {
      if ((spin & 255) !== 0) continue;
      const now = poll.now();
      if (now - last > ${lostCoreMs}) {
        if (now - poll.lostAt < ${twiceWithinMs}) poll.pausedUntil = now + ${pauseMs};
        poll.lostAt = now;
        break;
      }
      if (now > until) break;
      last = now;
    }
  }
  while (Atomics.load(state, at) === value) Atomics.wait(state, at, value);
}
`;

const made = new Function(`${waitSource}\nreturn { newPoll, waitWhile };`)() as {
  newPoll: (ms: number) => Poll;
  waitWhile: (state: Int32Array, at: number, value: number, poll: Poll) => void;
};

/** Waits until state[at] is no longer `value`, polling first as `poll` says. */
export const waitWhile = made.waitWhile;

/** The polling of `threads` threads on a machine that lets the process use `cores`: none when they are more. */
export function pollFor(threads: number, cores: number): Poll {
  return made.newPoll(threads <= cores ? pollMs : 0);
}
