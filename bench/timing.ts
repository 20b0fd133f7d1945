// Timing and summary helpers shared by the engine benchmark and its peers.

/** Seconds of wall-clock and of the measured process's CPU time (all its threads). */
export interface Took {
  wall: number;
  cpu: number;
}

/** A system trains `epochs` epochs of a workload and says how long that took. */
export type Runner = (epochs: number) => Promise<Took>;

export function timed(work: () => void): Took {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  work();
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A median with its min–max spread. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}
