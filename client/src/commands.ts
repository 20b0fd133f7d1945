/**
 * The NNet commands: Train Model, Run Gradient Check, Stop Training, Show
 * Model Summary and Open Training Panel. The code lenses pass `{ uri,
 * network }`; from the palette or the editor title the cursor's network is
 * used, or the user picks one.
 */
import { availableParallelism } from "node:os";
import * as vscode from "vscode";
import { ResponseError } from "vscode-languageclient/node";
import type { JobRefusedData, JobStarted } from "../../server/src/protocol";
import type { Notices } from "./notices";
import type { Job, JobRequest, JobTracker } from "./jobs";
import type { PanelLink } from "./panel-link";
import { runSettings } from "./settings";
import type { SummaryProvider } from "./summary";
import { isNNet, resolveTarget, type NetworkTarget } from "./target";

export interface CommandDeps {
  jobs: JobTracker;
  panel: PanelLink;
  summaries: SummaryProvider;
  output: vscode.OutputChannel;
  /** resolves false when the language server could not be started */
  ready: Promise<boolean>;
  notices: Notices;
}

const restrictedMessage =
  "NNet: training and gradient checks are off in Restricted Mode. They read the data files a .nnet file names and run its training; trust this workspace to use them. Editing, hovers and diagnostics work as usual.";

/**
 * Shows a notification and acts on its button later: a command never waits
 * for the user to dismiss a message.
 */
function tell(show: Thenable<string | undefined>, act: (choice: string) => unknown): void {
  void Promise.resolve(show).then((choice) => (choice ? act(choice) : undefined));
}

// the thread count last warned about: once per setting, not at every run
let warnedThreads: number | undefined;

/** More threads than cores still train, with the same bits, but slower: said once, as `nnet train` says it. */
function warnOversubscribed(threads: number | undefined, notices: Notices): void {
  const cores = availableParallelism();
  if (threads === undefined || threads <= cores || threads === warnedThreads) return;
  warnedThreads = threads;
  const message = `NNet: nnet.train.threads is ${threads}, more than the ${cores} core${cores === 1 ? "" : "s"} the editor may use; the extra threads wait for a core, so training is slower than with ${cores}.`;
  tell(notices.show("warning", message, "Open Settings"), () => vscode.commands.executeCommand("workbench.action.openSettings", "nnet.train.threads"));
}

/** Restricted Mode: explain, offer the trust editor, do nothing else. */
function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  tell(vscode.window.showWarningMessage(restrictedMessage, "Manage Workspace Trust"), () => vscode.commands.executeCommand("workbench.trust.manage"));
  return false;
}

async function serverUp(deps: CommandDeps): Promise<boolean> {
  if (await deps.ready) return true;
  tell(vscode.window.showErrorMessage("NNet: the language server is not running, so nothing can be trained or summarised.", "Show Output"), () => deps.output.show(true));
  return false;
}

function jobRequest(kind: "train" | "gradcheck", target: NetworkTarget): JobRequest {
  const settings = runSettings(target.document.uri);
  const base = {
    uri: target.document.uri.toString(), ...(target.network ? { network: target.network } : {}), ...(settings.threads !== undefined ? { threads: settings.threads } : {}),
  };
  if (kind === "train") return { kind, params: { ...base, ...(settings.maxEpochs !== undefined ? { maxEpochs: settings.maxEpochs } : {}) } };
  const { epsilon, tolerance } = settings;
  return { kind, params: { ...base, ...(epsilon ? { epsilon } : {}), ...(tolerance ? { tolerance } : {}) } };
}

/** Starts a job; the answer is what the server said (for callers such as tests), undefined when nothing started. */
async function startJob(kind: "train" | "gradcheck", arg: unknown, deps: CommandDeps): Promise<JobStarted | undefined> {
  if (!trusted() || !(await serverUp(deps))) return undefined;
  const target = await resolveTarget(arg, lastUri(deps.jobs.last()));
  if (!target) return undefined;
  const what = `${kind === "train" ? "train" : "gradient-check"} ${target.network ? `'${target.network}'` : vscode.workspace.asRelativePath(target.document.uri)}`;
  try {
    const request = jobRequest(kind, target);
    const job = await deps.jobs.start(request);
    warnOversubscribed(request.params.threads, deps.notices);
    return { jobId: job.jobId, network: job.network, summary: job.summary, epochs: job.epochs };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    deps.output.appendLine(`[${kind}] could not ${what}: ${reason}`);
    const refused = refusal(error);
    if (refused) {
      const first = refused.errors[0]!;
      tell(deps.notices.show("error", errorsSentence(refused, target.network), "Go to Problem"), () => goToProblem(target.document, first));
      return undefined;
    }
    tell(deps.notices.show("error", `NNet: could not ${what}: ${reason}`, "Show Problems"), () => vscode.commands.executeCommand("workbench.actions.view.problems"));
    return undefined;
  }
}

/** The checker's errors the server sent with its refusal, if it sent any. */
function refusal(error: unknown): JobRefusedData | undefined {
  const data = error instanceof ResponseError ? (error.data as Partial<JobRefusedData> | undefined) : undefined;
  return Array.isArray(data?.errors) && data.errors.length > 0 ? (data as JobRefusedData) : undefined;
}

/** "'broken' has 1 error: add needs operands of equal size … (line 7)" */
export function errorsSentence(refused: JobRefusedData, network: string | undefined): string {
  const count = refused.errors.length;
  const first = refused.errors[0]!;
  const name = refused.network ?? network;
  const more = count > 1 ? `; ${count - 1} more in Problems` : "";
  return `${name ? `'${name}'` : "This file"} has ${count} error${count === 1 ? "" : "s"}: ${first.message} (line ${first.line + 1})${more}`;
}

async function goToProblem(document: vscode.TextDocument, at: { line: number; character: number }): Promise<void> {
  const position = new vscode.Position(at.line, at.character);
  const visible = vscode.window.visibleTextEditors.find((editor) => editor.document === document);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, selection: new vscode.Range(position, position) });
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  // the problem under the cursor, in the peek view
  await vscode.commands.executeCommand("editor.action.marker.next");
}

const lastUri = (job: Job | undefined): vscode.Uri | undefined => (job ? vscode.Uri.parse(job.uri) : undefined);

/** Stops the active document's jobs, or every job when it has none. */
async function stop(deps: CommandDeps): Promise<number> {
  const running = deps.jobs.running();
  if (running.length === 0) {
    void vscode.window.showInformationMessage("NNet: no training run or gradient check is running.");
    return 0;
  }
  const active = vscode.window.activeTextEditor?.document;
  const own = isNNet(active) ? running.filter((job) => job.uri === active.uri.toString()) : [];
  const targets = own.length > 0 ? own : running;
  const counts = await Promise.all(targets.map((job) => deps.jobs.stop({ jobId: job.jobId })));
  return counts.reduce((sum, count) => sum + count, 0);
}

async function summary(arg: unknown, deps: CommandDeps): Promise<vscode.Uri | undefined> {
  if (!(await serverUp(deps))) return undefined;
  const target = await resolveTarget(arg, lastUri(deps.jobs.last()));
  return target ? deps.summaries.show(target.document.uri, target.network) : undefined;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("nnet.train", (arg?: unknown) => startJob("train", arg, deps)),
    vscode.commands.registerCommand("nnet.gradcheck", (arg?: unknown) => startJob("gradcheck", arg, deps)),
    vscode.commands.registerCommand("nnet.stop", () => stop(deps)),
    vscode.commands.registerCommand("nnet.summary", (arg?: unknown) => summary(arg, deps)),
    vscode.commands.registerCommand("nnet.openPanel", async () => {
      await deps.panel.open();
    }),
    // `{ ids }` instead of the pick, for scripts and tests; answers what differed between the runs
    vscode.commands.registerCommand("nnet.compareRuns", (arg?: { ids?: unknown }) =>
      deps.panel.compare(Array.isArray(arg?.ids) ? arg.ids.filter((id): id is string => typeof id === "string") : undefined)),
  ];
}
