/**
 * Connects runs to the training panel: opens or reveals it, without taking
 * the focus, when a run starts (unless `nnet.panel.openOnTrain` is off), forwards nnet/progress and nnet/done, replays the last
 * run (as the server keeps it) into a panel opened later, and reveals a layer
 * the panel asks for.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import {
  EditRunRequest, LastRunRequest, RunsRequest, SummaryRequest, differenceLine, type EditRunParams, type HistoryRun, type LastRunParams,
  type RunsParams,
} from "../../server/src/protocol";
import { sendRequest } from "./messages";
import { registerTrainingPanelSerializer, TrainingPanel, type TrainingPanelDeps } from "./panel";
import type { Job, JobTracker } from "./jobs";
import { runSettings } from "./settings";
import { isNNet, layerRange } from "./target";

export class PanelLink implements vscode.Disposable {
  private readonly deps: TrainingPanelDeps;
  private readonly listed = new vscode.EventEmitter<HistoryRun[]>();
  /** the panel was given its network's run history */
  readonly onDidListRuns = this.listed.event;
  private readonly disposables: vscode.Disposable[] = [this.listed];

  constructor(
    private readonly context: vscode.ExtensionContext, private readonly client: LanguageClient, private readonly jobs: JobTracker, output: vscode.OutputChannel,
  ) {
    this.deps = {
      log: (message) => output.appendLine(`[panel] ${message}`),
      revealLayer: (target) => revealLayer(target),
      saveModel: (run) => vscode.commands.executeCommand("nnet.saveModel", run),
      exportModel: (run, to) => vscode.commands.executeCommand(to === "onnx" ? "nnet.exportOnnx" : "nnet.exportPytorch", run),
      editRun: async (change) => {
        await sendRequest(this.client, EditRunRequest, change satisfies EditRunParams);
        const panel = TrainingPanel.currentPanel;
        if (panel) await this.listRuns(panel);
      },
    };
    registerTrainingPanelSerializer(context, this.deps);
    this.disposables.push(
      jobs.onDidStart((job) => {
        // a run the user started comes into view, leaving the focus in the editor
        const reveal = runSettings(vscode.Uri.parse(job.uri)).openPanelOnTrain;
        const panel = reveal ? TrainingPanel.createOrShow(context, this.deps, true) : TrainingPanel.currentPanel;
        panel?.startRun(job);
      }),
      jobs.onDidProgress(({ params }) => TrainingPanel.currentPanel?.progress(params)),
      jobs.onDidFinish(({ params }) => {
        const panel = TrainingPanel.currentPanel;
        panel?.done(params);
        if (panel) void this.listRuns(panel);
      }),
    );
  }

  /**
   * Shows the panel (focused); a new panel is given the last run, so it never opens blank after one,
   * or in a window that has run nothing yet, the newest stored run of the active document.
   */
  async open(): Promise<TrainingPanel> {
    const existed = TrainingPanel.currentPanel !== undefined;
    const panel = TrainingPanel.createOrShow(this.context, this.deps, false);
    const last = this.jobs.last();
    if (!existed && last) await this.replay(panel, last);
    else if (!existed) await this.showStoredRun(panel);
    if (!existed) await this.listRuns(panel);
    return panel;
  }

  /** Overlays runs of the panel's network: `ids` when given, else the ones the user picks. Answers what differed. */
  async compare(ids?: string[]): Promise<string | undefined> {
    const panel = await this.open();
    const runs = panel.panelState.runs ?? [];
    const chosen = ids ?? (await pickRuns(runs));
    if (!chosen) return undefined;
    panel.compare(chosen);
    const selected = runs.filter((run) => chosen.includes(run.id));
    return selected.length >= 2 ? differenceLine(selected) : undefined;
  }

  /** Gives the panel the run history of the network it shows. */
  private async listRuns(panel: TrainingPanel): Promise<void> {
    const { uri, network } = panel.panelState;
    if (!uri || !network) return;
    const params: RunsParams = { uri, network };
    const { runs } = await sendRequest(this.client, RunsRequest, params);
    if (TrainingPanel.currentPanel !== panel || panel.panelState.network !== network) return;
    panel.showRuns(runs);
    this.listed.fire(runs);
  }

  /** The history outlives the window: after VS Code is reopened, the panel starts from the newest run it kept. */
  private async showStoredRun(panel: TrainingPanel): Promise<void> {
    const active = vscode.window.activeTextEditor?.document;
    const document = isNNet(active) ? active : vscode.window.visibleTextEditors.find((editor) => isNNet(editor.document))?.document;
    if (!document) return;
    const uri = document.uri.toString();
    const { runs } = await sendRequest(this.client, RunsRequest, { uri } satisfies RunsParams);
    const newest = runs[0];
    if (!newest) return;
    const { summary } = await sendRequest(this.client, SummaryRequest, { uri, network: newest.network });
    if (!summary || TrainingPanel.currentPanel !== panel || panel.followed !== undefined) return;
    const { id: jobId, network, kind, status, history } = newest;
    panel.startRun({ jobId, uri, network, kind, epochs: newest.final?.epoch ?? 0, summary });
    panel.done({ jobId, uri, network, kind, status, history });
  }

  private async replay(panel: TrainingPanel, job: Job): Promise<void> {
    const params: LastRunParams = { uri: job.uri, network: job.network };
    const { run } = await sendRequest(this.client, LastRunRequest, params);
    // a run that started meanwhile is followed live instead
    if (!run || run.jobId !== job.jobId || panel.followed !== undefined) return;
    const { jobId, network, kind, epochs, history } = run;
    panel.startRun({ jobId, uri: job.uri, network, kind, epochs, summary: run.summary ?? job.summary });
    if (run.status !== "running") {
      const { status, message, gradcheck, grid } = run;
      panel.done({ jobId, uri: job.uri, network, kind, status, history, ...(message !== undefined ? { message } : {}), ...(gradcheck ? { gradcheck } : {}), ...(grid ? { grid } : {}) });
      return;
    }
    for (const metrics of history) panel.progress({ jobId, uri: job.uri, network, kind, epochs, metrics });
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

async function pickRuns(runs: HistoryRun[]): Promise<string[] | undefined> {
  if (runs.length < 2) {
    void vscode.window.showInformationMessage("NNet: this network has fewer than two runs to compare; train it again with other settings.");
    return undefined;
  }
  const items = runs.map((run) => ({
    label: run.name ?? new Date(run.startedAt).toLocaleString(),
    description: `${run.kind === "train" ? "training" : "gradient check"} · ${run.status}${run.final ? ` · loss ${run.final.loss.toPrecision(4)}` : ""}`,
    detail: Object.entries(run.settings).map(([key, value]) => `${key} ${value}`).join(" · "),
    id: run.id,
  }));
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: "NNet: runs to compare (two or more)" });
  return picked?.map((item) => item.id);
}

async function revealLayer(target: { layer: string; network?: string; uri?: string }): Promise<void> {
  if (!target.uri) return;
  const uri = vscode.Uri.parse(target.uri);
  const document = await vscode.workspace.openTextDocument(uri);
  const range = await layerRange(uri, target.layer, target.network);
  if (!range) {
    void vscode.window.showInformationMessage(`NNet: no layer '${target.layer}' in ${vscode.workspace.asRelativePath(uri)} any more.`);
    return;
  }
  const visible = vscode.window.visibleTextEditors.find((editor) => editor.document === document);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, selection: range });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
