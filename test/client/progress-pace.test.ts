/**
 * The pace of the progress notification, fed the arrival times of a run's
 * epochs (no timers): a long run is redrawn several times a second, a fast
 * one is not redrawn per epoch, and the first and last epochs always show.
 */
import { describe, expect, it } from "vitest";
import { ProgressPace } from "../../client/src/progress-pace";

function shown(epochs: number, msPerEpoch: number): number[] {
  const pace = new ProgressPace(250);
  const times: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const now = 10_000 + epoch * msPerEpoch;
    if (pace.due(now, epoch === epochs)) times.push(now);
  }
  return times;
}

describe("the progress notification's pace", () => {
  it("redraws a 20,000-epoch run (1 ms an epoch) at least once a second, about 4 times a second", () => {
    const times = shown(20_000, 1);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1000);
    expect(times.length).toBeGreaterThanOrEqual(20);
    expect(times.length).toBeLessThanOrEqual(81);
    expect(times[0]).toBe(10_001);
    expect(times.at(-1)).toBe(10_000 + 20_000);
  });

  it("shows every epoch of a slow run, and the first and last of a run faster than the interval", () => {
    expect(shown(5, 2000)).toHaveLength(5);
    expect(shown(100, 0.1)).toEqual([10_000.1, 10_010]);
  });
});
