/**
 * The check of a run of the history: it crosses the webview boundary, and it
 * is read back from the workspace's storage, which an older version (or a
 * person) may have written.
 */
import type { HistoryRun } from "./index";
import { choice, count, doneStatus, finite, flag, jobKind, list, messageLimits, metric, name, optional, shape, text, uri, validateEpochMetrics, type Check } from "./validate";

// built on first use: validate.ts and this module import each other
let check: Check<HistoryRun> | undefined;

export const validateHistoryRun: Check<HistoryRun> = (value) => (check ??= historyRunCheck())(value);

const settings: Check<Record<string, string>> = (value) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 256 || !entries.every(([key, v]) => key.length <= messageLimits.name && typeof v === "string" && v.length <= messageLimits.name)) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
};

function historyRunCheck(): Check<HistoryRun> {
  const final = shape<NonNullable<HistoryRun["final"]>>({
    epoch: count, loss: metric, accuracy: optional(metric), valLoss: optional(metric), valAccuracy: optional(metric),
  });
  return shape<HistoryRun>({
    id: name, uri, network: name, kind: jobKind, status: doneStatus, startedAt: finite, name: optional(name), pinned: optional(flag),
    settings, textHash: text(128), matchesText: optional(flag), history: list(validateEpochMetrics, 10_000),
    final: optional(final), gradcheck: optional(shape<NonNullable<HistoryRun["gradcheck"]>>({ passed: flag, maxRelError: metric })),
    model: optional(choice<NonNullable<HistoryRun["model"]>>({ kept: true, dropped: true })),
  });
}
