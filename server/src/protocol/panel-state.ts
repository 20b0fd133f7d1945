/**
 * How host messages change what the panel shows. The extension keeps a mirror
 * of the webview's state with the same rules, so a reloaded webview can be
 * given back exactly what it had.
 */
import { replayGrids, type DecisionGrid, type HostMessage, type PanelState } from "./index";

// Past the limit every other grid is dropped, so the kept ones stay spread over the whole run.
function keepGrid(state: PanelState, epoch: number, grid: DecisionGrid): void {
  const grids = (state.grids ??= []);
  if (grids[grids.length - 1]?.epoch === epoch) grids[grids.length - 1] = { epoch, grid };
  else grids.push({ epoch, grid });
  if (grids.length > replayGrids) state.grids = grids.filter((_, i) => i % 2 === 1 || i === grids.length - 1);
}

export function emptyPanelState(): PanelState {
  return { history: [] };
}

/**
 * Applies one host message. Mutates and returns `state` (a progress message
 * appends in place: copying 10,000 epochs per epoch would be quadratic).
 */
export function applyHostMessage(state: PanelState, message: HostMessage): PanelState {
  switch (message.type) {
    case "run": {
      // a gradient check of the network shown keeps its run's curves and boundary beside the check
      const network = state.network === message.network && state.uri === message.uri;
      const same = message.kind === "gradcheck" && network;
      return {
        jobId: message.jobId, uri: message.uri, network: message.network, kind: message.kind, epochs: same ? state.epochs : message.epochs,
        summary: message.summary, history: same ? state.history : [],
        ...(same && state.grid ? { grid: state.grid } : {}),
        ...(same && state.grids ? { grids: state.grids } : {}),
        // the network's run history stays listed while it runs again
        ...(network && state.runs ? { runs: state.runs, selected: state.selected ?? [] } : {}),
      };
    }
    case "progress": {
      const last = state.history[state.history.length - 1];
      if (last && last.epoch === message.metrics.epoch) state.history[state.history.length - 1] = message.metrics;
      else if (!last || last.epoch < message.metrics.epoch) state.history.push(message.metrics);
      if (message.grid) {
        state.grid = message.grid;
        keepGrid(state, message.metrics.epoch, message.grid);
      }
      return state;
    }
    case "done": {
      const { params } = message;
      state.uri = params.uri;
      state.network = params.network;
      state.kind = params.kind;
      state.status = params.status;
      state.message = params.message;
      if (params.history && params.history.length > 0) state.history = params.history;
      if (params.gradcheck) state.gradcheck = params.gradcheck;
      if (params.grid) {
        state.grid = params.grid;
        const last = state.history[state.history.length - 1];
        if (last) keepGrid(state, last.epoch, params.grid);
      }
      if (params.report) state.report = params.report;
      if (params.stopped) state.stopped = params.stopped;
      else delete state.stopped;
      return state;
    }
    case "restore":
      return message.state;
    case "predictions":
      state.predictions = message.result;
      return state;
    case "runs": {
      state.runs = message.runs;
      const ids = new Set(message.runs.map((run) => run.id));
      state.selected = (state.selected ?? []).filter((id) => ids.has(id));
      return state;
    }
    case "select":
      state.selected = message.ids.filter((id) => state.runs?.some((run) => run.id === id));
      return state;
  }
}
