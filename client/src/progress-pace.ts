/**
 * How often a run's progress notification is redrawn: on the first epoch,
 * the last, and whenever `intervalMs` has passed since the last redraw, so a
 * long run updates several times a second and a fast one is not redrawn per
 * epoch. Driven by the run's own epoch events, with their arrival times.
 */
export class ProgressPace {
  private last: number | undefined;

  constructor(private readonly intervalMs: number) {}

  /** Whether the epoch that arrived at `now` should be shown. */
  due(now: number, final: boolean): boolean {
    if (!final && this.last !== undefined && now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}
