/**
 * After a run, a slider through its epochs: the loss, accuracy and each
 * layer's ‖∂C/∂W‖ as they were at that epoch, and the decision boundary from
 * the last grid drawn at or before it. "Live" goes back to the run's end.
 */
import type { DecisionGrid, PanelState } from "../../server/src/protocol";
import { clear, formatNumber, h } from "./dom";

export class ReplayCard {
  readonly card: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly figures: HTMLElement;
  private readonly live: HTMLButtonElement;
  /** the epoch shown, or undefined for the run as it ended */
  epoch: number | undefined;

  constructor(private readonly changed: () => void) {
    this.slider = h("input", { className: "replay-slider", attrs: { type: "range", min: "1", max: "1", step: "1", "aria-label": "epoch" } });
    this.slider.addEventListener("input", () => {
      this.epoch = Number(this.slider.value);
      this.changed();
    });
    this.live = h("button", { className: "secondary replay-live", text: "End", title: "Show the run as it ended" });
    this.live.addEventListener("click", () => {
      this.epoch = undefined;
      this.changed();
    });
    this.figures = h("dl", { className: "replay-figures" });
    this.card = h("section", { className: "card replay-card" },
      h("header", { className: "card-header" }, h("h2", { text: "Replay" }), this.live),
      this.slider, this.figures);
    this.card.hidden = true;
  }

  /** Shown once a run has ended with epochs; a new run goes back to live. */
  render(state: PanelState): void {
    const { history } = state;
    const ended = state.status !== undefined && history.length > 1;
    this.card.hidden = !ended;
    if (!ended) {
      this.epoch = undefined;
      return;
    }
    const first = history[0]!.epoch;
    const last = history[history.length - 1]!.epoch;
    if (this.epoch !== undefined && (this.epoch < first || this.epoch > last)) this.epoch = undefined;
    this.slider.min = String(first);
    this.slider.max = String(last);
    this.slider.value = String(this.epoch ?? last);
    const metrics = history.find((m) => m.epoch >= (this.epoch ?? last)) ?? history[history.length - 1]!;
    clear(this.figures);
    const row = (term: string, value: string) => this.figures.append(h("dt", { text: term }), h("dd", { text: value }));
    row("epoch", `${metrics.epoch} of ${last}`);
    row("loss", formatNumber(metrics.loss, 4));
    if (metrics.accuracy !== undefined) row("accuracy", formatNumber(metrics.accuracy, 3));
    for (const stats of metrics.layers) if (stats.gradNorm > 0) row(`‖∂C/∂W‖ ${stats.layer}`, formatNumber(stats.gradNorm));
    this.live.disabled = this.epoch === undefined;
  }

  /** The decision grid of the epoch shown: the last one drawn at or before it. */
  grid(state: PanelState): { grid: DecisionGrid; epoch?: number } | undefined {
    if (this.epoch === undefined || !state.grids?.length) return state.grid ? { grid: state.grid } : undefined;
    const at = [...state.grids].reverse().find((each) => each.epoch <= this.epoch!) ?? state.grids[0]!;
    return { grid: at.grid, epoch: at.epoch };
  }
}
