/**
 * Early stopping: after each epoch, the monitored quantity either improves
 * on the best so far by more than minDelta (and its weights and optimizer
 * state are kept), or the wait grows; `patience` epochs without improvement
 * end the run, which then goes back to the best epoch.
 */
import type { EpochMetrics } from "./train";
import type { MonitorName, StopEarlySpec } from "./spec";

/** Why and where a run stopped early; the weights are the best epoch's. */
export interface EarlyStop {
  /** the last epoch trained */
  epoch: number;
  /** the epoch whose weights the run ends with */
  bestEpoch: number;
  monitor: MonitorName;
  best: number;
  patience: number;
  minDelta: number;
  /** the sentence every front end shows */
  reason: string;
}

const maximised = (monitor: MonitorName): boolean => monitor === "val_accuracy";

export function monitored(metrics: EpochMetrics, monitor: MonitorName): number | undefined {
  switch (monitor) {
    case "loss": return metrics.loss;
    case "val_loss": return metrics.valLoss;
    case "val_accuracy": return metrics.valAccuracy;
  }
}

export class EarlyStopper {
  best = NaN;
  bestEpoch = 0;
  private wait = 0;

  constructor(readonly spec: StopEarlySpec) {}

  /** Takes a resumed run's last epoch as the best so far; false when it lacks the monitored quantity. */
  start(metrics: EpochMetrics): boolean {
    const value = monitored(metrics, this.spec.monitor);
    if (value === undefined) return false;
    this.best = value;
    this.bestEpoch = metrics.epoch;
    return true;
  }

  /** Records an epoch: "improved" (keep its weights), "wait" or "stop". */
  observe(metrics: EpochMetrics): "improved" | "wait" | "stop" {
    const value = monitored(metrics, this.spec.monitor);
    if (value === undefined) throw new Error(`stop_early monitors ${this.spec.monitor}, which this run does not measure (it needs validation > 0${this.spec.monitor === "val_accuracy" ? " and a classification output" : ""})`);
    const { minDelta } = this.spec;
    const better = Number.isNaN(this.best) || (maximised(this.spec.monitor) ? value > this.best + minDelta : value < this.best - minDelta);
    if (better) {
      this.best = value;
      this.bestEpoch = metrics.epoch;
      this.wait = 0;
      return "improved";
    }
    this.wait++;
    return this.wait >= this.spec.patience ? "stop" : "wait";
  }

  report(epoch: number): EarlyStop {
    const { monitor, patience, minDelta } = this.spec;
    const by = minDelta > 0 ? ` by more than ${minDelta}` : "";
    const reason = `${monitor} did not improve${by} for ${patience} epoch${patience === 1 ? "" : "s"}; kept the weights of epoch ${this.bestEpoch} (${monitor} ${Number(this.best.toPrecision(4))})`;
    return { epoch, bestEpoch: this.bestEpoch, monitor, best: this.best, patience, minDelta, reason };
  }
}
