// Which physical cores the bench's threads may use: two threads on one core's
// SMT siblings share its multiply-add units, so a "2 thread" figure there is
// not two cores' worth (Linux only; elsewhere nothing is said).
import { readFileSync } from "node:fs";

/** "0-3,8" → [0, 1, 2, 3, 8] */
export function cpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(",").filter(Boolean)) {
    const [from, to = from] = part.split("-").map(Number);
    for (let c = from; c <= to; c++) cpus.push(c);
  }
  return cpus;
}

/** e.g. "cpus 0-1 on 2 physical cores", or undefined where /proc or /sys cannot say. */
export function coreLayout(): string | undefined {
  try {
    const allowed = /^Cpus_allowed_list:\s*(.*)$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (!allowed) return undefined;
    const cpus = cpuList(allowed);
    const cores = new Set(cpus.map((c) => {
      const topology = (name: string): string => readFileSync(`/sys/devices/system/cpu/cpu${c}/topology/${name}`, "utf8").trim();
      return `${topology("physical_package_id")}:${topology("core_id")}`;
    }));
    const shared = cores.size < cpus.length ? ` (SMT siblings: ${cpus.length} threads share ${cores.size} cores' multiply-add units)` : "";
    return `cpus ${allowed.trim()} on ${cores.size} physical core${cores.size === 1 ? "" : "s"}${shared}`;
  } catch {
    return undefined;
  }
}
