/**
 * How host messages change what the panel shows. The extension keeps a mirror
 * of the webview's state with the same rules, so a reloaded webview can be
 * given back exactly what it had.
 */
import type { HostMessage, PanelState } from "./index";

export function emptyPanelState(): PanelState {
  return { history: [] };
}

/**
 * Applies one host message. Mutates and returns `state` (a progress message
 * appends in place: copying 10,000 epochs per epoch would be quadratic).
 */
export function applyHostMessage(state: PanelState, message: HostMessage): PanelState {
  switch (message.type) {
    case "run":
      return {
        uri: message.uri, network: message.network, kind: message.kind, epochs: message.epochs,
        summary: message.summary, history: [],
      };
    case "progress": {
      const last = state.history[state.history.length - 1];
      if (last && last.epoch === message.metrics.epoch) state.history[state.history.length - 1] = message.metrics;
      else if (!last || last.epoch < message.metrics.epoch) state.history.push(message.metrics);
      if (message.grid) state.grid = message.grid;
      return state;
    }
    case "done": {
      const { params } = message;
      state.uri = params.uri;
      state.network = params.network;
      state.kind = params.kind;
      state.status = params.status;
      state.message = params.message;
      if (params.history) state.history = params.history;
      if (params.gradcheck) state.gradcheck = params.gradcheck;
      if (params.grid) state.grid = params.grid;
      if (params.stopped) state.stopped = params.stopped;
      else delete state.stopped;
      return state;
    }
    case "restore":
      return message.state;
    case "predictions":
      state.predictions = message.result;
      return state;
  }
}
