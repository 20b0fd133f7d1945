/**
 * Hovers on an optimizer, a schedule and stop_early: the update rule in the
 * seed's notation (g = ∂C/∂θ for θ = Wˡ, bˡ, plus λW with l2), and the
 * learning rates this network's run will use, from the engine's own schedule.
 */
import { learningRateAt, type TrainSpec } from "../../../engine/index";
import { lookup, optimizers, schedules, stopEarly } from "../../semantics/index";
import { escapeMarkdown } from "../../formula/index";

const paramLines = (params: { name: string; doc: string; default?: number | string }[]): string[] =>
  params.map((param) => `${param.name}: ${escapeMarkdown(param.doc)}${param.default !== undefined ? ` (default ${param.default})` : ""}`);

const block = (lines: string[]): string => ["```", ...lines, "```"].join("\n");

export function optimizerHover(name: string, train: TrainSpec | undefined): string | undefined {
  const info = lookup(optimizers, name);
  if (!info) return undefined;
  const l2 = train && train.optimizer.name === info.name && train.l2 > 0 ? train.l2 : undefined;
  const gradient = `g = ∂C/∂θ for θ = Wˡ, bˡ${l2 !== undefined ? ` (plus λWˡ for Wˡ, l2 λ = ${l2})` : " (plus λWˡ for Wˡ with l2 λ)"}`;
  return [
    `**${escapeMarkdown(info.name)}** — ${escapeMarkdown(info.doc)}`,
    block([gradient, ...info.rule]),
    paramLines(info.params).join("  \n"),
  ].join("\n\n");
}

// Epochs worth showing: the first, the end of the warmup and the schedule's turns, the last.
function sampleEpochs(train: TrainSpec): number[] {
  const last = train.epochs;
  const schedule = train.schedule!;
  const marks = [1, 2, schedule.warmup, schedule.warmup + 1, schedule.warmup + 2, Math.round((schedule.warmup + last) / 2), last];
  if (schedule.name === "step") marks.push(schedule.warmup + schedule.every, schedule.warmup + schedule.every + 1);
  return [...new Set(marks)].filter((e) => e >= 1 && e <= last).sort((a, b) => a - b);
}

export function scheduleHover(name: string, train: TrainSpec | undefined): string | undefined {
  const info = lookup(schedules, name);
  if (!info) return undefined;
  const lines = [
    `**schedule ${escapeMarkdown(info.name)}** — ${escapeMarkdown(info.doc)}`,
    block([`${info.rule}   (epoch e = W + 1 + k)`, "warmup W: ηₑ = η·e / (W + 1) for e ≤ W", "stepped once after every epoch, as torch's scheduler.step()"]),
    paramLines(info.params).join("  \n"),
  ];
  if (train?.schedule?.name === info.name) {
    const rates = sampleEpochs(train).map((e) => `η(${e}) = ${Number(learningRateAt(train.schedule, train.optimizer.lr, e, train.epochs).toPrecision(4))}`);
    lines.push(`this run (lr ${train.optimizer.lr}, ${train.epochs} epochs): ${rates.join(", ")}`);
  }
  return lines.join("\n\n");
}

export function stopEarlyHover(): string {
  return [
    `**train stop_early** — ${escapeMarkdown(stopEarly.doc)}`,
    block([
      "after each epoch e, with m the monitored value:",
      "  improved if m < best − min_delta   (val_accuracy: m > best + min_delta)",
      "  improved: best ← m, keep Wˡ, bˡ and the optimizer's state of epoch e",
      "  otherwise wait ← wait + 1; wait = patience ends the run",
      "at the end: Wˡ, bˡ ← the best epoch's",
    ]),
    paramLines(stopEarly.params).join("  \n"),
    "resuming continues from the best epoch, which later epochs must beat",
  ].join("\n\n");
}
