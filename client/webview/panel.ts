/**
 * The training panel: applies host messages to its state and redraws the
 * parts they touched, at most once per animation frame however fast epochs
 * arrive.
 */
import {
  applyHostMessage, emptyPanelState, type HostMessage, type PanelState, type WebviewMessage,
} from "../../server/src/protocol";
import { LineChart } from "./chart";
import { accuracyChart, accuracyTitle, gradientChart, gradientNote, learningRateChart, lossChart, type ViewSettings } from "./chart-data";
import { historyToCsv } from "./csv";
import { DecisionMap } from "./decision-map";
import { formatNumber, h } from "./dom";
import { GradcheckTable } from "./gradcheck-table";
import { MetricsCard } from "./metrics-card";
import { NetworkDiagram } from "./network-diagram";
import { PredictionsTable } from "./predictions-table";
import { CompareCard } from "./compare-card";
import { ReplayCard } from "./replay-card";
import { RunEndCard } from "./run-end";
import { RunsCard } from "./runs-card";
import { runPng, runPngName } from "./run-png";
import { readPalette, type Palette } from "./theme";
import { Toolbar } from "./toolbar";

/** What the panel saves with setState: the protocol's PanelState plus the view settings. */
export type SavedState = PanelState & { view?: ViewSettings };

export interface PanelHost {
  post(message: WebviewMessage): void;
  save(state: SavedState): void;
}

type Part = "charts" | "gradcheck" | "grid" | "network" | "status" | "predictions" | "runs";
const allParts: Part[] = ["charts", "gradcheck", "grid", "network", "status", "predictions", "runs"];
const saveInterval = 1000;

export class Panel {
  private state: PanelState = emptyPanelState();
  private view: ViewSettings = { logScale: false, smoothing: 0.6 };
  private palette: Palette = readPalette();
  private generation = 0;
  private readonly dirty = new Set<Part>();
  private frame = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private lastSave = 0;
  private readonly toolbar: Toolbar;
  private readonly loss: LineChart;
  private readonly accuracy: LineChart;
  private readonly gradients: LineChart;
  private readonly learningRate: LineChart;
  private readonly decision: DecisionMap;
  private readonly gradcheck: GradcheckTable;
  private readonly network: NetworkDiagram;
  private readonly runEnd: RunEndCard;
  private readonly metrics: MetricsCard;
  private readonly predictions: PredictionsTable;
  private readonly runs: RunsCard;
  private readonly replay: ReplayCard;
  private readonly compare: CompareCard;
  private readonly empty: HTMLElement;

  constructor(private readonly root: HTMLElement, private readonly host: PanelHost) {
    const reveal = (layer: string) => host.post({ type: "revealLayer", layer });
    this.toolbar = new Toolbar({
      change: (view) => {
        this.view = view;
        this.schedule("charts");
        this.requestSave(false);
      },
      exportCsv: () => host.post({ type: "exportCsv", csv: historyToCsv(this.state.history) }),
    });
    this.loss = new LineChart("loss", "Loss", [this.pngButton("loss", "Loss")]);
    this.accuracy = new LineChart("accuracy", "Accuracy", [this.pngButton("accuracy", "Accuracy")]);
    this.gradients = new LineChart("gradients", "Gradient norms ‖∂C/∂W‖ per layer", [this.pngButton("gradients", "Gradient norms")]);
    this.learningRate = new LineChart("learning-rate", "Learning rate per epoch", [this.pngButton("learning-rate", "Learning rate")]);
    this.decision = new DecisionMap([this.pngButton("decision", "Decision boundary")]);
    this.gradcheck = new GradcheckTable(reveal);
    this.network = new NetworkDiagram(reveal);
    this.runEnd = new RunEndCard({ save: () => host.post({ type: "saveModel" }), export: (to) => host.post({ type: "exportModel", to }) });
    this.predictions = new PredictionsTable();
    this.runs = new RunsCard({
      select: (ids) => host.post({ type: "selectRuns", ids }),
      edit: (change) => host.post({ type: "editRun", ...change }),
      exportCsv: (run) => host.post({ type: "exportCsv", csv: historyToCsv(run.history) }),
      exportPng: (run) => void runPng(run, this.palette).then((dataUrl) => {
        if (dataUrl) host.post({ type: "exportPng", name: runPngName(run), dataUrl });
      }),
    });
    this.compare = new CompareCard((name, title) => this.pngButton(name, title));
    this.replay = new ReplayCard(() => this.schedule("status", "grid"));
    this.metrics = new MetricsCard();
    this.empty = h("p", { className: "empty", text: "Train a network (the Train code lens above a network) to see its curves here." });
    root.append(
      this.toolbar.element,
      this.empty,
      h(
        "div",
        { className: "cards" },
        this.runEnd.card, this.metrics.card, this.replay.card, this.predictions.card, this.loss.card, this.accuracy.card, this.learningRate.card, this.gradients.card, this.decision.card, this.gradcheck.card,
        this.runs.card, this.compare.card, this.network.card,
      ),
    );
    this.toolbar.show(this.view);
    this.schedule(...allParts);
  }

  /** The state saved before the webview was hidden or reloaded. */
  load(saved: PanelState, view: ViewSettings | undefined): void {
    this.state = saved;
    if (view) this.view = view;
    this.toolbar.show(this.view);
    this.schedule(...allParts);
  }

  receive(message: HostMessage): void {
    this.state = applyHostMessage(this.state, message);
    if (message.type === "progress") this.schedule("charts", "status", ...(message.grid ? ["grid" as const] : []));
    else if (message.type === "predictions") this.schedule("predictions");
    // the run-end card says, from the runs list, whether the shown run's model is still kept
    else if (message.type === "runs" || message.type === "select") this.schedule("runs", "status");
    else this.schedule(...allParts);
    this.requestSave(message.type !== "progress");
  }

  /** Theme changed: re-read the colours and rebuild every chart. */
  retheme(): void {
    this.palette = readPalette();
    this.generation++;
    this.schedule("charts", "grid", "runs");
  }

  private schedule(...parts: Part[]): void {
    for (const part of parts) this.dirty.add(part);
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    const started = performance.now();
    this.frame = 0;
    const parts = new Set(this.dirty);
    this.dirty.clear();
    if (parts.has("status")) {
      this.renderStatus();
      this.runEnd.render(this.state);
      this.replay.render(this.state);
      this.metrics.render(this.state.report);
    }
    if (parts.has("predictions")) this.predictions.render(this.state.predictions);
    if (parts.has("charts")) this.renderCharts();
    if (parts.has("grid")) {
      const shown = this.replay.grid(this.state);
      this.decision.render(shown?.grid, this.palette, shown?.epoch);
    }
    if (parts.has("gradcheck")) this.gradcheck.render(this.state.gradcheck);
    if (parts.has("network")) this.network.render(this.state.summary);
    if (parts.has("runs")) this.renderRuns();
    this.empty.hidden = this.state.history.length > 0 || !!this.state.gradcheck || !!this.state.summary || !!this.state.predictions || !!this.state.runs?.length;
    // How long the last redraw took, for the performance test and for anyone profiling.
    this.root.dataset.drawMs = (performance.now() - started).toFixed(2);
  }

  private renderCharts(): void {
    const history = this.state.history;
    this.loss.setVisible(history.length > 0);
    if (history.length === 0) {
      this.accuracy.setVisible(false);
      this.learningRate.setVisible(false);
      this.gradients.setVisible(false);
      return;
    }
    const loss = lossChart(history, this.view, this.palette);
    this.loss.draw(loss.spec, loss.data, this.palette, this.generation);
    const accuracy = accuracyChart(history, this.view, this.palette);
    this.accuracy.setTitle(accuracyTitle(this.state.summary));
    this.accuracy.setVisible(!!accuracy);
    if (accuracy) this.accuracy.draw(accuracy.spec, accuracy.data, this.palette, this.generation);
    const rate = learningRateChart(history, this.palette);
    this.learningRate.setVisible(!!rate);
    if (rate) this.learningRate.draw(rate.spec, rate.data, this.palette, this.generation);
    const gradients = gradientChart(history, this.palette);
    this.gradients.setVisible(!!gradients);
    if (gradients) this.gradients.draw(gradients.spec, gradients.data, this.palette, this.generation);
    const note = gradientNote(history);
    this.gradients.setNote(note.text, note.warning);
  }

  private renderRuns(): void {
    const selected = this.state.selected ?? [];
    this.runs.render(this.state.runs, selected);
    const compared = (this.state.runs ?? []).filter((run) => selected.includes(run.id));
    this.compare.render(compared, this.palette, this.generation);
  }

  private renderStatus(): void {
    const { network, status, message, history, epochs, kind } = this.state;
    const last = history[history.length - 1];
    const element = this.toolbar.status;
    element.className = `status status-${status ?? (network ? "running" : "idle")}`;
    if (!network) {
      element.textContent = "No run yet";
      return;
    }
    const what = kind === "gradcheck" ? "Gradient check" : "Training";
    const word = status ? { completed: "completed", cancelled: "cancelled", failed: "failed" }[status] : "running";
    const parts = [`${what} of ${network} ${word}`];
    if (last) parts.push(`epoch ${last.epoch}${epochs ? ` / ${epochs}` : ""}`, `loss ${formatNumber(last.loss, 4)}`);
    if (last?.accuracy !== undefined) parts.push(`accuracy ${formatNumber(last.accuracy, 3)}`);
    element.textContent = parts.join(" · ") + (message ? `: ${message}` : "");
  }

  private pngButton(name: string, title: string): HTMLButtonElement {
    const button = h("button", { className: `export-png export-${name}`, text: "PNG", title: `Save ${title} as PNG` });
    button.addEventListener("click", () => {
      const dataUrl = name === "decision" ? this.decision.canvas.toDataURL("image/png") : this.chart(name)?.toPng(title, this.palette);
      if (dataUrl) this.host.post({ type: "exportPng", name, dataUrl });
    });
    return button;
  }

  private chart(name: string): LineChart | undefined {
    return [this.loss, this.accuracy, this.learningRate, this.gradients, ...this.compare.charts].find((chart) => chart.name === name);
  }

  /** Saves at once, e.g. when VS Code is about to hide (and so destroy) the page. */
  saveNow(): void {
    this.requestSave(true);
  }

  /** setState serialises the whole history, so it runs at most once a second while epochs stream in. */
  private requestSave(now: boolean): void {
    const save = () => {
      this.saveTimer = undefined;
      this.lastSave = Date.now();
      this.host.save({ ...this.state, view: this.view });
    };
    if (now || Date.now() - this.lastSave >= saveInterval) {
      if (this.saveTimer) clearTimeout(this.saveTimer);
      save();
    } else {
      this.saveTimer ??= setTimeout(save, saveInterval);
    }
  }
}
