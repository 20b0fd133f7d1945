/**
 * The launch's read of a large data file as DAP progress events, for a
 * client that said `supportsProgressReporting`: one progressStart, a
 * progressUpdate per whole percent, one progressEnd. A file small enough to
 * load at once shows none, as on the command line.
 */
import { ProgressEndEvent, ProgressStartEvent, ProgressUpdateEvent } from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { reportLoadingAbove } from "../training/index";

/** The id of the launch's progress, which a client's `cancel` request names. */
export const loadProgressId = "nnet-load-data";

export interface LoadProgress {
  onProgress(done: number, total: number): void;
  end(message: string): void;
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

export function loadProgress(send: (event: DebugProtocol.Event) => void): LoadProgress {
  let shown = -1;
  return {
    onProgress(done, total) {
      const percentage = Math.floor((done / total) * 100);
      if (total <= reportLoadingAbove || percentage === shown) return;
      const message = `${mib(done)} of ${mib(total)} MiB`;
      const event = shown < 0 ? new ProgressStartEvent(loadProgressId, "Reading the training data", message) : new ProgressUpdateEvent(loadProgressId, message);
      if (shown < 0) (event as DebugProtocol.ProgressStartEvent).body.cancellable = true;
      (event as DebugProtocol.ProgressStartEvent | DebugProtocol.ProgressUpdateEvent).body.percentage = percentage;
      shown = percentage;
      send(event);
    },
    end(message) {
      if (shown >= 0) send(new ProgressEndEvent(loadProgressId, message));
      shown = -1;
    },
  };
}
