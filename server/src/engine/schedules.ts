/**
 * The learning rate of each epoch, as torch's schedulers give it when
 * scheduler.step() follows every epoch (docs/training.md):
 * - warmup W: epochs 1…W use η·e/(W + 1) (torch's LinearLR from 1/(W + 1)),
 *   then the schedule starts from η, counting k = epochs after the warmup
 * - step: η·γ^⌊k / every⌋ (StepLR); exponential: η·γᵏ (ExponentialLR)
 * - cosine: η_min + (η − η_min)(1 + cos(πk / T))/2 over the T = epochs − W
 *   epochs of the run (CosineAnnealingLR), held at η_min past T.
 */
import type { ScheduleSpec } from "./spec";

/** η for epoch `epoch` (1-based, counting resumed epochs) of a run of `epochs` epochs from base rate `lr`. */
export function learningRateAt(schedule: ScheduleSpec | undefined, lr: number, epoch: number, epochs: number): number {
  if (!schedule) return lr;
  const done = epoch - 1;
  const warmup = schedule.warmup;
  if (done < warmup) return (lr * (done + 1)) / (warmup + 1);
  const k = done - warmup;
  switch (schedule.name) {
    case "constant": return lr;
    case "step": return lr * Math.pow(schedule.gamma, Math.floor(k / schedule.every));
    case "exponential": return lr * Math.pow(schedule.gamma, k);
    case "cosine": {
      const period = Math.max(1, epochs - warmup);
      return schedule.minLr + ((lr - schedule.minLr) * (1 + Math.cos((Math.PI * Math.min(k, period)) / period))) / 2;
    }
  }
}
