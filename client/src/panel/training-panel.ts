/**
 * The extension side of the training panel: one webview panel, its page,
 * the ready handshake and a mirror of the panel's state, so that a webview
 * that is reloaded (hidden and shown, moved, or restored after a window
 * reload) is handed back everything it showed.
 */
import * as vscode from "vscode";
import {
  applyHostMessage, emptyPanelState, oversizeExport, validatePanelState, validateWebviewMessage,
  type DoneParams, type ExportTarget, type HostMessage, type PredictResult, type JobKind, type NetworkSummary, type PanelState,
  type EditRunParams, type HistoryRun, type ProgressParams, type WebviewMessage,
} from "../../../server/src/protocol";
import { fileStem, pngBytes, saveWithDialog } from "./exports";
import { createNonce, panelHtml } from "./html";

export interface TrainingPanelDeps {
  /** one line for the extension's output channel */
  log(message: string): void;
  /** shows the layer's declaration; the extension knows the documents */
  revealLayer?(target: { layer: string; network?: string; uri?: string }): void | Thenable<void>;
  /** the end-of-run card's Save and Export buttons: the commands, on the panel's run */
  saveModel?(run: { uri?: string; network?: string }): void | Thenable<unknown>;
  exportModel?(run: { uri?: string; network?: string }, to: ExportTarget): void | Thenable<unknown>;
  /** pin, rename or delete a run of the history; the panel's list is refreshed after */
  editRun?(change: EditRunParams): void | Thenable<unknown>;
}

/** What the extension knows when a job starts (JobStarted plus the request's kind and document). */
export interface RunStart {
  jobId: string;
  uri: string;
  network: string;
  kind: JobKind;
  epochs: number;
  summary: NetworkSummary;
}

type Handlers = { [K in WebviewMessage["type"]]: (message: Extract<WebviewMessage, { type: K }>) => void | Promise<void> };

export class TrainingPanel implements vscode.Disposable {
  static readonly viewType = "nnet.trainingPanel";
  private static current: TrainingPanel | undefined;

  private state: PanelState;
  private ready = false;
  private isDisposed = false;
  private jobId: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  /** fires once, when the user closes the panel or the extension disposes it */
  readonly onDidDispose = this.disposed.event;

  /** The open panel, revealed, or a new one beside the active editor. */
  static createOrShow(context: vscode.ExtensionContext, deps: TrainingPanelDeps, preserveFocus = true): TrainingPanel {
    if (TrainingPanel.current) {
      TrainingPanel.current.panel.reveal(undefined, preserveFocus);
      return TrainingPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      TrainingPanel.viewType,
      "NNet Training",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      webviewOptions(context),
    );
    return new TrainingPanel(panel, context, deps, emptyPanelState());
  }

  /** Takes over a panel VS Code restored after a window reload, with the state the webview last saved. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, deps: TrainingPanelDeps, saved: unknown): TrainingPanel {
    TrainingPanel.current?.dispose();
    panel.webview.options = webviewOptions(context);
    return new TrainingPanel(panel, context, deps, validatePanelState(saved) ?? emptyPanelState());
  }

  static get currentPanel(): TrainingPanel | undefined {
    return TrainingPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly deps: TrainingPanelDeps,
    state: PanelState,
  ) {
    this.state = state;
    TrainingPanel.current = this;
    const handlers = this.handlers();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw, handlers)),
      panel.onDidDispose(() => this.dispose()),
      this.disposed,
    );
    panel.webview.html = pageFor(panel.webview, context.extensionUri);
  }

  /** A job started: the panel clears and follows it; progress of other jobs is ignored from now on. */
  startRun(run: RunStart): void {
    this.jobId = run.jobId;
    const { jobId, network, kind, epochs, summary, uri } = run;
    this.post({ type: "run", jobId, network, kind, epochs, summary, uri });
  }

  progress(params: ProgressParams): void {
    if (params.jobId !== this.jobId) return;
    this.post({ type: "progress", metrics: params.metrics, grid: params.grid });
  }

  done(params: DoneParams): void {
    if (params.jobId !== this.jobId) return;
    this.post({ type: "done", params });
  }

  /** The run history of the panel's network. */
  showRuns(runs: HistoryRun[]): void {
    this.post({ type: "runs", runs });
  }

  /** Overlays these runs of the history (two or more; fewer shows none). */
  compare(ids: string[]): void {
    this.post({ type: "select", ids });
  }

  /** A model's predictions, shown as a table under the run. */
  showPredictions(result: PredictResult): void {
    this.post({ type: "predictions", result });
  }

  /** Whether the panel is in view (its tab is the active one of its group). */
  get visible(): boolean {
    return this.panel.visible;
  }

  /** The job the panel follows, if any. */
  get followed(): string | undefined {
    return this.jobId;
  }

  reveal(preserveFocus = true): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  /** What the webview shows, as the host last sent it. */
  get panelState(): PanelState {
    return this.state;
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (TrainingPanel.current === this) TrainingPanel.current = undefined;
    this.disposed.fire();
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  /**
   * Every message updates the mirror; it reaches the webview only once the
   * page has said ready, and the page then gets the mirror as one restore.
   */
  private post(message: HostMessage): void {
    this.state = applyHostMessage(this.state, message);
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown, handlers: Handlers): void {
    const message = validateWebviewMessage(raw);
    if (!message) {
      const tooLarge = oversizeExport(raw);
      if (tooLarge) void vscode.window.showErrorMessage(`NNet training panel: ${tooLarge}`);
      this.deps.log(tooLarge ? `Training panel: ${tooLarge}` : `Training panel: dropped a malformed message ${preview(raw)}`);
      return;
    }
    const handle = handlers[message.type] as (m: WebviewMessage) => void | Promise<void>;
    Promise.resolve(handle(message)).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.deps.log(`Training panel: ${message.type} failed: ${reason}`);
      void vscode.window.showErrorMessage(`NNet training panel: ${message.type} failed: ${reason}`);
    });
  }

  private handlers(): Handlers {
    return {
      // A (re)loaded page: give it everything at once, then stream.
      ready: () => {
        this.ready = true;
        void this.panel.webview.postMessage({ type: "restore", state: this.state } satisfies HostMessage);
      },
      revealLayer: async ({ layer }) => {
        await this.deps.revealLayer?.({ layer, network: this.state.network, uri: this.state.uri });
      },
      saveModel: async () => {
        await this.deps.saveModel?.(this.run());
      },
      exportModel: async ({ to }) => {
        await this.deps.exportModel?.(this.run(), to);
      },
      selectRuns: ({ ids }) => this.compare(ids),
      editRun: async ({ type: _type, ...change }) => {
        await this.deps.editRun?.(change);
      },
      exportCsv: async ({ csv }) => {
        const saved = await saveWithDialog({
          fileName: `${fileStem(this.state.network, "history")}.csv`,
          near: this.nearUri(),
          filters: { CSV: ["csv"] },
          bytes: new TextEncoder().encode(csv),
        });
        if (saved) this.deps.log(`Training panel: history saved to ${saved.toString()}`);
      },
      exportPng: async ({ name, dataUrl }) => {
        const bytes = pngBytes(dataUrl);
        if (!bytes) {
          this.deps.log(`Training panel: dropped ${name}.png: not a PNG image`);
          return;
        }
        const saved = await saveWithDialog({
          fileName: `${fileStem(this.state.network, name)}.png`,
          near: this.nearUri(),
          filters: { "PNG image": ["png"] },
          bytes,
        });
        if (saved) this.deps.log(`Training panel: chart saved to ${saved.toString()}`);
      },
    };
  }

  private run(): { uri?: string; network?: string } {
    return { ...(this.state.uri ? { uri: this.state.uri } : {}), ...(this.state.network ? { network: this.state.network } : {}) };
  }

  private nearUri(): vscode.Uri | undefined {
    return this.state.uri ? vscode.Uri.parse(this.state.uri) : undefined;
  }
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, "out", "webview")],
    enableFindWidget: false,
  };
}

function pageFor(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "out", "webview", file)).toString();
  return panelHtml({
    cspSource: webview.cspSource,
    scriptUri: asset("main.js"),
    styleUris: [asset("uPlot.min.css"), asset("panel.css")],
    nonce: createNonce(),
  });
}

/** A short, single-line description of an untrusted value for the log. */
function preview(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = Object.prototype.toString.call(raw);
  }
  text = text.replace(/\s+/g, " ");
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} characters)` : text;
}

/** Restores the panel after a window reload. Needs `onWebviewPanel:nnet.trainingPanel` in activationEvents. */
export function registerTrainingPanelSerializer(context: vscode.ExtensionContext, deps: TrainingPanelDeps): vscode.Disposable {
  const registration = vscode.window.registerWebviewPanelSerializer(TrainingPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      TrainingPanel.revive(panel, context, deps, state);
    },
  });
  context.subscriptions.push(registration);
  return registration;
}
