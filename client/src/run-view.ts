/**
 * What the user sees of a run outside the panel: a cancellable progress
 * notification, a status-bar item with the epoch and loss, a log in the
 * output channel, and a notification at the end (with "Go to line" when the
 * failure points at one, and "Open Panel" when the panel is not in view).
 */
import * as vscode from "vscode";
import type { DataProgressParams, DoneParams } from "../../server/src/protocol";
import type { Job, JobTracker } from "./jobs";
import type { Notices } from "./notices";
import { TrainingPanel } from "./panel";
import { ProgressPace } from "./progress-pace";
import { doneSentence, elapsed, formatNumber, jobTitle, metricsLine, shouldLog } from "./report";

const dataLine = ({ done, total }: DataProgressParams): string =>
  `reading the data: ${Math.floor((100 * done) / total)}% (${(done / 2 ** 20).toFixed(0)} of ${(total / 2 ** 20).toFixed(0)} MiB)`;

/** Status bar updates per second at most, whatever the epoch rate. */
const refreshMs = 100;
/** The progress notification is redrawn at least this often while epochs arrive (it says epoch, loss and accuracy). */
const progressMs = 250;
/** How long the status bar keeps a finished run's result. */
const lingerMs = 20_000;

export class RunView implements vscode.Disposable {
  private readonly progressShown = new vscode.EventEmitter<{ jobId: string; message: string }>();
  /** each redraw of a run's progress notification, with its text */
  readonly onDidShowProgress = this.progressShown.event;

  private readonly status = vscode.window.createStatusBarItem("nnet.run", vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.status, this.progressShown];
  private lastRefresh = 0;
  private hideTimer: NodeJS.Timeout | undefined;

  constructor(private readonly jobs: JobTracker, private readonly output: vscode.OutputChannel, private readonly notices: Notices) {
    this.status.name = "NNet training";
    this.status.command = "nnet.openPanel";
    this.disposables.push(
      jobs.onDidStart((job) => this.started(job)),
      jobs.onDidProgress(({ job, params }) => {
        if (shouldLog(params.metrics, job.epochs)) this.log(job, metricsLine(params.metrics, job.epochs));
        this.refresh(job);
      }),
      jobs.onDidFinish(({ job, params }) => this.finished(job, params)),
      jobs.onDidLoadData(({ job, params }) => {
        if (params.done >= params.total) this.log(job, `read ${(params.total / 2 ** 20).toFixed(0)} MiB of data`);
      }),
    );
  }

  dispose(): void {
    if (this.hideTimer) clearTimeout(this.hideTimer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private log(job: Job, message: string): void {
    this.output.appendLine(`[${job.kind} ${job.network} ${job.jobId}] ${message}`);
  }

  private started(job: Job): void {
    const size = `${job.summary.layers.length} layers, ${job.summary.totalParams.toLocaleString("en-US")} parameters`;
    this.log(job, `started on ${vscode.workspace.asRelativePath(vscode.Uri.parse(job.uri))}: ${job.kind === "train" ? `${job.epochs} epochs, ` : ""}${size}`);
    void vscode.commands.executeCommand("setContext", "nnet.jobRunning", true);
    this.refresh(job, true);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NNet: ${jobTitle(job)}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => {
          if (job.done) return;
          this.log(job, "stop requested");
          this.jobs.stop({ jobId: job.jobId }).catch((error: unknown) => this.log(job, `stop failed: ${String(error)}`));
        });
        let reported = 0;
        const pace = new ProgressPace(progressMs);
        const subscription = this.jobs.onDidProgress(({ job: other, params }) => {
          if (other !== job || !pace.due(Date.now(), params.metrics.epoch === job.epochs)) return;
          const share = job.epochs > 0 ? (100 * params.metrics.epoch) / job.epochs : 0;
          const message = metricsLine(params.metrics, job.epochs);
          progress.report({ message, increment: share - reported });
          this.progressShown.fire({ jobId: job.jobId, message });
          reported = share;
        });
        const loading = this.jobs.onDidLoadData(({ job: other, params }) => {
          if (other === job) progress.report({ message: dataLine(params) });
        });
        return this.jobs.finished(job.jobId).finally(() => (subscription.dispose(), loading.dispose()));
      },
    );
  }

  private refresh(job: Job, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastRefresh < refreshMs) return;
    this.lastRefresh = now;
    const running = this.jobs.running();
    const shown = running.includes(job) ? job : running[running.length - 1] ?? job;
    const metrics = shown.latest;
    const where = metrics ? ` ${metrics.epoch}${shown.epochs > 0 ? `/${shown.epochs}` : ""} · loss ${formatNumber(metrics.loss)}` : " starting…";
    const others = running.length > 1 ? ` (+${running.length - 1})` : "";
    this.status.text = `$(sync~spin) ${shown.network}${shown.kind === "gradcheck" ? " gradcheck" : ""}${where}${others}`;
    this.status.tooltip = `NNet: ${jobTitle(shown)}${metrics ? `, ${metricsLine(metrics, shown.epochs)}` : ""}\nClick to open the training panel; "NNet: Stop Training" stops it.`;
    this.status.backgroundColor = undefined;
    if (this.hideTimer) clearTimeout(this.hideTimer);
    this.hideTimer = undefined;
    this.status.show();
  }

  private finished(job: Job, done: DoneParams): void {
    const sentence = doneSentence(job, done);
    this.log(job, `${done.status} in ${elapsed(job)}: ${sentence}`);
    const running = this.jobs.running();
    void vscode.commands.executeCommand("setContext", "nnet.jobRunning", running.length > 0);
    if (running.length > 0) this.refresh(running[running.length - 1]!, true);
    else this.showResult(job, done);
    void this.notify(job, done, sentence);
  }

  private showResult(job: Job, done: DoneParams): void {
    const failed = done.status === "failed" || done.gradcheck?.passed === false;
    const icon = failed ? "$(error)" : done.status === "cancelled" ? "$(circle-slash)" : "$(check)";
    const loss = job.latest ? ` · loss ${formatNumber(job.latest.loss)}` : "";
    const check = done.gradcheck ? ` · gradcheck ${done.gradcheck.passed ? "PASS" : "FAIL"}` : "";
    this.status.text = `${icon} ${job.network}${loss}${check}`;
    this.status.tooltip = `NNet: ${doneSentence(job, done)}\nClick to open the training panel.`;
    this.status.backgroundColor = failed ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    this.status.show();
    this.hideTimer = setTimeout(() => this.status.hide(), lingerMs);
  }

  private async notify(job: Job, done: DoneParams, sentence: string): Promise<void> {
    const message = `NNet: ${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}`;
    if (done.status === "failed") {
      const actions = done.line !== undefined ? ["Go to line", "Show Output"] : ["Show Output"];
      const choice = await this.notices.show("error", message, ...actions);
      if (choice === "Go to line" && done.line !== undefined) await goToLine(job.uri, done.line);
      if (choice === "Show Output") this.output.show(true);
      return;
    }
    if (done.gradcheck && !done.gradcheck.passed) {
      const choice = await this.notices.show("warning", message, "Show Problems", ...(panelInView() ? [] : ["Open Panel"]));
      if (choice === "Show Problems") await vscode.commands.executeCommand("workbench.actions.view.problems");
      if (choice === "Open Panel") await vscode.commands.executeCommand("nnet.openPanel");
      return;
    }
    // A panel in view shows the outcome already; the status bar keeps it too.
    if (panelInView()) return;
    const choice = await this.notices.show("info", message, "Open Panel");
    if (choice) await vscode.commands.executeCommand("nnet.openPanel");
  }
}

const panelInView = (): boolean => TrainingPanel.currentPanel?.visible === true;

/** Shows a 0-based line of a document, in the editor that already has it when there is one. */
export async function goToLine(uri: string, line: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const target = document.lineAt(Math.min(Math.max(line, 0), document.lineCount - 1)).range;
  const visible = vscode.window.visibleTextEditors.find((editor) => editor.document === document);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, selection: new vscode.Range(target.start, target.start) });
  editor.revealRange(target, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
