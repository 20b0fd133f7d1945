/** The epoch history as CSV: one row per epoch, per-layer statistics as columns. */
import type { EpochMetrics, LayerStats } from "../../server/src/protocol";
import { layerNames } from "./series";

const layerColumns: (keyof Omit<LayerStats, "layer">)[] = ["gradNorm", "meanAbsDelta", "updateRatio"];

/**
 * RFC 4180 quoting. Text that a spreadsheet would run as a formula gets a
 * leading apostrophe (numbers never do: they are written as numbers).
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? "NaN" : String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function historyToCsv(history: EpochMetrics[]): string {
  const layers = layerNames(history);
  const has = (key: "valLoss" | "accuracy" | "valAccuracy") => history.some((m) => m[key] !== undefined);
  const optional = (["valLoss", "accuracy", "valAccuracy"] as const).filter(has);
  const header = ["epoch", "loss", ...optional, ...layers.flatMap((l) => layerColumns.map((c) => `${l}.${c}`))];
  const lines = [header.map(csvField).join(",")];
  for (const metrics of history) {
    const byLayer = new Map(metrics.layers.map((s) => [s.layer, s]));
    const cells: (string | number | undefined)[] = [metrics.epoch, metrics.loss, ...optional.map((k) => metrics[k])];
    for (const layer of layers) for (const column of layerColumns) cells.push(byLayer.get(layer)?.[column]);
    lines.push(cells.map(csvField).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
