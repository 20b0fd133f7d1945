/**
 * What `nnet train`, `nnet gradcheck` and `nnet demo` share: starting a
 * compiled job in the worker with Ctrl-C wired to a clean stop, the
 * progress line, the gradient-check table, and the JSON shapes.
 */
import {
  startJob, type HostOptions, type JobFailure, type JobOutcome, type JobRequest, type JobResult,
} from "../training/index";
import type { EpochMetrics, GradcheckResult, NetworkSpec } from "../engine/index";
import type { Io } from "./registry";
import { whileJobRuns } from "./signals";

export interface ProgressOptions {
  json: boolean;
  /** \r-updated bar on a terminal, plain lines otherwise */
  tty: boolean;
  quiet?: boolean;
}

const percent = (value: number | undefined): string => (value === undefined ? "" : `${(100 * value).toFixed(1)}%`);
const fixed = (value: number | undefined): string => (value === undefined ? "" : value.toPrecision(4));

export function metricsText(m: EpochMetrics, epochs: number): string {
  const parts = [`epoch ${String(m.epoch).padStart(String(epochs).length)}/${epochs}`, `loss ${fixed(m.loss)}`];
  if (m.accuracy !== undefined) parts.push(`accuracy ${percent(m.accuracy)}`);
  if (m.valLoss !== undefined) parts.push(`val loss ${fixed(m.valLoss)}`);
  if (m.valAccuracy !== undefined) parts.push(`val accuracy ${percent(m.valAccuracy)}`);
  return parts.join("  ");
}

function bar(epoch: number, epochs: number, width = 24): string {
  const filled = epochs > 0 ? Math.round((width * epoch) / epochs) : width;
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
}

export function epochEvent(m: EpochMetrics): Record<string, unknown> {
  return {
    event: "epoch", epoch: m.epoch, loss: m.loss, valLoss: m.valLoss ?? null, accuracy: m.accuracy ?? null, valAccuracy: m.valAccuracy ?? null, lr: m.lr ?? null,
    gradNorms: Object.fromEntries(m.layers.map((layer) => [layer.layer, layer.gradNorm])),
  };
}

/** Renders epochs as they come: JSON lines, a \r-updated bar, or a plain line every few epochs. */
export function progressPrinter(io: Io, epochs: number, options: ProgressOptions): { epoch(m: EpochMetrics): void; end(): void } {
  const every = Math.max(1, Math.ceil(epochs / 20));
  let lastDraw = 0;
  let drawn = false;
  return {
    epoch(m) {
      if (options.quiet) return;
      if (options.json) return io.out(JSON.stringify(epochEvent(m)) + "\n");
      if (options.tty) {
        const now = Date.now();
        if (now - lastDraw < 50 && m.epoch !== epochs) return;
        lastDraw = now;
        drawn = true;
        return io.out(`\r${bar(m.epoch, epochs)} ${metricsText(m, epochs)}\x1b[K`);
      }
      // the last epoch is printed by the command's closing line
      if ((m.epoch % every === 0 || m.epoch === 1) && m.epoch !== epochs) io.out(metricsText(m, epochs) + "\n");
    },
    end() {
      if (drawn) io.out("\n");
      drawn = false;
    },
  };
}

/** Runs the job; Ctrl-C (SIGINT) stops it cleanly instead of killing the process. */
export async function runWithInterrupt(request: JobRequest, onEpoch: (m: EpochMetrics) => void, workerPath?: string, host: HostOptions = {}): Promise<JobOutcome> {
  const handle = startJob(request, (message) => onEpoch(message.metrics), { ...host, ...(workerPath ? { workerPath } : {}) });
  return whileJobRuns(() => void handle.stop(), handle.outcome);
}

/** The JSON error event: the message, and where it points when known. */
export function errorEvent(failure: JobFailure): Record<string, unknown> {
  const { history: _history, ...rest } = failure;
  return { event: "error", ...rest };
}

/** The epoch whose weights the run ends with: the last, or the best one when stop_early ended it (a resumed run's first epoch: `resumed`). */
export function finalEpoch(result: JobResult, resumed?: EpochMetrics): EpochMetrics | undefined {
  const bestEpoch = result.stopped?.bestEpoch;
  const best = bestEpoch === undefined ? undefined : [resumed, ...result.history].find((m) => m?.epoch === bestEpoch);
  return best ?? result.history[result.history.length - 1];
}

export function finalMetrics(result: JobResult, resumed?: EpochMetrics): Record<string, unknown> {
  const last = finalEpoch(result, resumed);
  return {
    epochs: last?.epoch ?? 0, loss: last?.loss ?? null, valLoss: last?.valLoss ?? null, accuracy: last?.accuracy ?? null, valAccuracy: last?.valAccuracy ?? null,
    ...(result.stopped ? { stopped: result.stopped } : {}),
  };
}

const exp = (value: number): string => value.toExponential(2);
// as a user writes them in the file (1e-7, 1e-5), not as JavaScript prints 1e-5 (0.00001)
const setting = (value: number): string => (value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential() : String(value));

// Checks across a relu kink or the cross-entropy clip: "0", "3", "2 clip", "1 + 2 clip".
function nonSmooth(row: GradcheckResult["report"]["rows"][number]): string {
  if (row.clips === 0) return String(row.kinks);
  return row.kinks > 0 ? `${row.kinks} + ${row.clips} clip` : `${row.clips} clip`;
}

/** One row per dense layer and parameter, as the comparison of backprop §6.5. */
export function gradcheckTable(result: GradcheckResult): string {
  const { report } = result;
  const header = ["layer", "param", "checked", "max rel error", "median", "worst (row, col)", "kinks", "result"];
  const rows = report.rows.map((r) => [
    r.layer, r.param, `${r.checked}/${r.total}`, exp(r.maxRelError), exp(r.medianRelError), `(${r.worst.row}, ${r.worst.col})`, nonSmooth(r), r.passed ? "PASS" : "FAIL",
  ]);
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
  const rule = "─".repeat(widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1));
  const verdict = report.passed ? "all layers PASS" : `${report.rows.filter((r) => !r.passed).length} FAIL`;
  return [
    `gradient check of ${report.network}: ε = ${setting(report.epsilon)}, tolerance ${setting(report.tolerance)}, batch loss ${report.loss.toPrecision(6)}`,
    rule, line(header), rule, ...rows.map(line), rule, verdict,
  ].join("\n");
}

function transpose(rows: number[][]): number[][] {
  const examples = rows[0]?.length ?? 0;
  return Array.from({ length: examples }, (_, i) => rows.map((row) => row[i]));
}

/** Everything another tool needs to recompute the gradients: architecture, parameters, batch, both gradients. */
export function gradcheckJson(network: NetworkSpec, result: GradcheckResult): Record<string, unknown> {
  const layers = [
    { name: network.input.name, kind: "input", units: network.input.units, from: [] as string[] },
    ...network.layers.map((layer) => layer.kind === "dense"
      ? { name: layer.name, kind: "dense", units: layer.units, activation: layer.activation.name, ...(layer.activation.alpha !== undefined ? { alpha: layer.activation.alpha } : {}), from: [layer.from] }
      : layer.kind === "dropout"
        ? { name: layer.name, kind: "dropout", units: layer.units, rate: layer.rate, from: [layer.from] }
        : { name: layer.name, kind: layer.kind, units: layer.units, from: layer.from }),
  ];
  const numericOf = (raw: GradcheckResult["raw"][number]): (number | null)[] => {
    const values: (number | null)[] = new Array(raw.values.length).fill(null);
    raw.checkedIndices.forEach((index, k) => (values[index] = raw.numeric[k]));
    return values;
  };
  return {
    network: network.name,
    loss: network.loss,
    ...(network.huberDelta !== undefined ? { huberDelta: network.huberDelta } : {}),
    lossValue: result.report.loss,
    epsilon: result.report.epsilon,
    tolerance: result.report.tolerance,
    layers,
    parameters: result.raw.map((r) => ({ layer: r.layer, param: r.param, rows: r.rows, cols: r.cols, values: r.values })),
    batch: { x: transpose(result.batch.x), y: transpose(result.batch.y) },
    // examples × units, as the batch: the masks every pass of the check used
    masks: Object.fromEntries(Object.entries(result.masks ?? {}).map(([name, rows]) => [name, transpose(rows)])),
    analytic: result.raw.map((r) => ({ layer: r.layer, param: r.param, values: r.analytic })),
    numeric: result.raw.map((r) => ({ layer: r.layer, param: r.param, values: numericOf(r), checked: r.checkedIndices, clip: r.checkedIndices.filter((_, k) => r.clip[k]) })),
    report: result.report.rows.map((r) => ({
      layer: r.layer, param: r.param, maxRelError: r.maxRelError, medianRelError: r.medianRelError, worst: r.worst, kinks: r.kinks, clips: r.clips, checked: r.checked, total: r.total, passed: r.passed,
    })),
    passed: result.report.passed,
  };
}
