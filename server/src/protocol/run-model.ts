/**
 * Why a run of the history cannot be saved as a model. The server's refusal
 * and the training panel's disabled Save button say the same words.
 */
import type { HistoryRun } from "./index";

/** Undefined when the run's trained model is kept. */
export function storedModelMissing(run: HistoryRun): string | undefined {
  if (run.model === "kept") return undefined;
  if (run.kind !== "train") return "it was a gradient check";
  if (run.status === "failed") return "the run failed";
  if (run.model === "dropped") return "its model was dropped: the run store keeps the models of the newest runs, and of pinned ones";
  if (!run.final) return "the run ended before a whole epoch";
  return "the run was stored without its model, by an earlier version";
}
