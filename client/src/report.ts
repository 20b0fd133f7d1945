/** The words and numbers a run is reported in: notifications, the status bar and the output channel. */
import type { DoneParams, EpochMetrics, GradcheckReport } from "../../server/src/protocol";
import type { Job } from "./jobs";

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const size = Math.abs(value);
  if (size >= 1e-3 && size < 1e5) return String(Number(value.toPrecision(4)));
  return value.toExponential(2).replace(/\.?0+e/, "e").replace("e+", "e");
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

export function jobTitle(job: Pick<Job, "kind" | "network">): string {
  return job.kind === "train" ? `training '${job.network}'` : `gradient check of '${job.network}'`;
}

/** "epoch 120/500 · loss 0.0123 · val 0.0150 · acc 97.5%" */
export function metricsLine(metrics: EpochMetrics, epochs: number): string {
  const parts = [`epoch ${metrics.epoch}${epochs > 0 ? `/${epochs}` : ""}`, `loss ${formatNumber(metrics.loss)}`];
  if (metrics.valLoss !== undefined) parts.push(`val ${formatNumber(metrics.valLoss)}`);
  if (metrics.accuracy !== undefined) parts.push(`acc ${percent(metrics.accuracy)}`);
  if (metrics.valAccuracy !== undefined) parts.push(`val acc ${percent(metrics.valAccuracy)}`);
  return parts.join(" · ");
}

/** Log about ten progress lines per run, plus the first and the last epoch. */
export function logInterval(epochs: number): number {
  return Math.max(1, Math.ceil(epochs / 10));
}

export function shouldLog(metrics: EpochMetrics, epochs: number): boolean {
  return metrics.epoch === 1 || metrics.epoch === epochs || metrics.epoch % logInterval(epochs) === 0;
}

export function worstError(report: GradcheckReport): number {
  return report.rows.reduce((worst, row) => Math.max(worst, row.maxRelError), 0);
}

export function gradcheckLine(report: GradcheckReport): string {
  const failing = report.rows.filter((row) => !row.passed);
  const verdict = report.passed ? "PASS" : `FAIL (${failing.map((row) => `${row.param} of '${row.layer}'`).join(", ")})`;
  return `${verdict}: max relative error ${formatNumber(worstError(report))}, tolerance ${formatNumber(report.tolerance)}, ε ${formatNumber(report.epsilon)}`;
}

export function elapsed(job: Job, now = Date.now()): string {
  return `${((now - job.startedAt) / 1000).toFixed(1)} s`;
}

/** One sentence for the end of a run, for the notification and the log. */
export function doneSentence(job: Job, done: DoneParams): string {
  const last = job.latest;
  switch (done.status) {
    case "completed": {
      const parts: string[] = [];
      if (job.kind === "train" && last) parts.push(`trained '${job.network}' for ${last.epoch} epochs: ${metricsLine(last, 0).replace(/^epoch \d+ · /, "")}`);
      if (done.gradcheck) parts.push(`gradient check ${gradcheckLine(done.gradcheck)}`);
      if (parts.length === 0) parts.push(`${jobTitle(job)} finished`);
      return parts.join("; ");
    }
    case "cancelled":
      return `${jobTitle(job)} stopped${last ? ` at epoch ${last.epoch}` : ""}`;
    case "failed":
      return `${jobTitle(job)} failed: ${done.message ?? "no reason given"}${done.line !== undefined ? ` (line ${done.line + 1})` : ""}`;
  }
}
