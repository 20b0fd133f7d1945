// How a multiply thread waits: it polls for a while and then sleeps, stops
// polling for a while once it finds twice in a short time that it lost its
// core while polling, and never polls with more threads than cores. The clock is the test's: each
// look at it may also be the moment another thread changes the word.
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { pollFor, waitWhile, type Poll } from "../../server/src/training/thread-wait";

// A poll whose clock returns `times` in turn; at the last one the word changes, as another thread would change it.
function scripted(times: number[], state: Int32Array): Poll & { looks: number } {
  const poll = { ...pollFor(2, 2), looks: 0 };
  poll.now = () => {
    const t = times[Math.min(poll.looks, times.length - 1)];
    if (++poll.looks >= times.length) Atomics.store(state, 0, 1);
    return t;
  };
  return poll;
}

// waits for word 1, then changes word 0 and wakes whoever sleeps on it
const changer = `
const s = new Int32Array(require("node:worker_threads").workerData);
Atomics.wait(s, 1, 0);
Atomics.store(s, 0, 1);
Atomics.notify(s, 0);
`;

describe("waiting for another multiply thread", () => {
  it("polls with as many threads as cores, and not at all with more", () => {
    expect(pollFor(2, 2).ms).toBeGreaterThan(0);
    expect(pollFor(1, 8).ms).toBeGreaterThan(0);
    expect(pollFor(3, 2).ms).toBe(0);
  });

  it("returns at once when the word has already changed", () => {
    const state = new Int32Array(new SharedArrayBuffer(8));
    Atomics.store(state, 0, 1);
    const poll = scripted([0], state);
    waitWhile(state, 0, 0, poll);
    expect(poll.pausedUntil).toBe(0);
  });

  it("polls until its time is up, then sleeps; polling stays on", () => {
    const state = new Int32Array(new SharedArrayBuffer(8));
    // looks 0.1 ms apart, past the poll's length: the word changes at the last look, and the wait ends
    const poll = scripted([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], state);
    waitWhile(state, 0, 0, poll);
    expect(Atomics.load(state, 0)).toBe(1);
    expect(poll.looks).toBe(11);
    expect(poll.pausedUntil).toBe(0);
  });

  it("stops polling for a while once it lost its core twice in a short time, and polls again after", async () => {
    const state = new Int32Array(new SharedArrayBuffer(8));
    // 2 ms between two looks: it was off its core; once is a hiccup
    const lost = scripted([0, 0.1, 2.1], state);
    waitWhile(state, 0, 0, lost);
    expect(lost.looks).toBe(3);
    expect(lost.pausedUntil).toBe(0);
    expect(lost.lostAt).toBe(2.1);
    // again 50 ms later: polling stops
    Atomics.store(state, 0, 0);
    lost.now = scripted([50, 50.1, 53], state).now;
    waitWhile(state, 0, 0, lost);
    expect(lost.pausedUntil).toBeGreaterThan(53 + 1000);
    // a loss long after the last one is a hiccup again
    const later = scripted([0, 0.1, 2.1], state);
    later.lostAt = -1000;
    Atomics.store(state, 0, 0);
    waitWhile(state, 0, 0, later);
    expect(later.pausedUntil).toBe(0);
    // paused: one look at the clock, then asleep until another thread changes the word
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const other = new Worker(changer, { eval: true, workerData: shared.buffer });
    const paused = { ...pollFor(2, 2), pausedUntil: lost.pausedUntil, looks: 0 };
    paused.now = () => (paused.looks++, 5);
    Atomics.store(shared, 1, 1);
    Atomics.notify(shared, 1);
    waitWhile(shared, 0, 0, paused);
    expect(Atomics.load(shared, 0)).toBe(1);
    expect(paused.looks).toBe(1);
    await other.terminate();
    // after the pause it polls again: more than one look
    Atomics.store(state, 0, 0);
    const again = scripted([lost.pausedUntil, lost.pausedUntil + 0.1, lost.pausedUntil + 0.2], state);
    again.pausedUntil = lost.pausedUntil;
    waitWhile(state, 0, 0, again);
    expect(again.looks).toBe(3);
    expect(again.pausedUntil).toBe(lost.pausedUntil);
  });
});
