/**
 * One run of the history as a PNG: its loss, accuracy and total gradient
 * norm per epoch, drawn by the same charts as the panel (off screen, at a
 * fixed width, so every export has the same size), stacked under a line
 * naming the run and its settings.
 */
import type { HistoryRun } from "../../server/src/protocol";
import { LineChart } from "./chart";
import { column, measures } from "./compare-card";
import type { Palette } from "./theme";

/** Width of each chart in CSS pixels; the PNG is this times the device pixel ratio. */
export const runPngWidth = 640;
const headerHeight = 28;

/** The file name stem of a run's PNG: its name, or when it started. */
export function runPngName(run: HistoryRun): string {
  const label = run.name ?? new Date(run.startedAt).toISOString().slice(0, 19);
  return `run-${label}`.replace(/[^\w.-]+/g, "_").slice(0, 100);
}

export async function runPng(run: HistoryRun, palette: Palette): Promise<string | undefined> {
  const epochs = run.history.map((metrics) => metrics.epoch);
  const charts: { chart: LineChart; title: string }[] = [];
  for (const measure of measures) {
    const values = column(run, epochs, measure.read);
    if (!values.some((value) => value !== null)) continue;
    const chart = new LineChart(`run-${measure.name}`, measure.title, [], runPngWidth);
    const series = [measure.log ? values.map((x) => (x !== null && x > 0 ? x : null)) : values];
    chart.draw({ series: [{ label: measure.title, stroke: palette.series[0]!, width: 2 }], log: measure.log, ...(measure.range ? { range: measure.range } : {}) },
      { x: epochs, series }, palette, 0);
    charts.push({ chart, title: measure.title });
  }
  try {
    // uPlot draws in a microtask after it is created
    await Promise.resolve();
    const canvases = charts.map(({ chart, title }) => chart.toCanvas(title, palette)).filter((c): c is HTMLCanvasElement => !!c);
    if (canvases.length === 0) return undefined;
    const width = canvases[0]!.width;
    const ratio = width / runPngWidth;
    const header = Math.round(headerHeight * ratio);
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = header + canvases.reduce((sum, each) => sum + each.height, 0);
    const ctx = canvas.getContext("2d");
    if (!ctx) return undefined;
    ctx.fillStyle = palette.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = palette.foreground;
    ctx.font = `bold ${Math.round(14 * ratio)}px sans-serif`;
    ctx.textBaseline = "middle";
    ctx.fillText(runTitle(run), 8 * ratio, header / 2, width - 16 * ratio);
    let top = header;
    for (const each of canvases) {
      ctx.drawImage(each, 0, top);
      top += each.height;
    }
    return canvas.toDataURL("image/png");
  } finally {
    for (const { chart } of charts) chart.destroy();
  }
}

function runTitle(run: HistoryRun): string {
  const settings = Object.entries(run.settings).map(([key, value]) => `${key} ${value}`).join(" · ");
  return `${run.network}${run.name ? ` "${run.name}"` : ""} · ${run.status}${settings ? ` · ${settings}` : ""}`;
}
