import * as vscode from "vscode";
import { State, type LanguageClient } from "vscode-languageclient/node";
import type { DoneParams, HistoryRun, PanelState } from "../../server/src/protocol";
import { TrainingPanel } from "./panel";
import { startLanguageClient, type RunningLanguageClient } from "./client";
import { registerCommands } from "./commands";
import { registerDebugger } from "./debug";
import { registerDebugValues } from "./debug-values";
import { JobTracker, type Job } from "./jobs";
import { PanelLink } from "./panel-link";
import { Notices, type Notice } from "./notices";
import { PublishedDiagnostics } from "./published-diagnostics";
import { RunView } from "./run-view";
import { SummaryProvider, summaryScheme } from "./summary";
import { askServerWith, onDidShowNetworkPick } from "./target";
import { ModelCommands } from "./models/commands";
import { ModelViewer } from "./models/viewer";

/** Runs as the rest of the extension and the editor tests see them. */
export interface NNetJobsApi {
  readonly onDidStart: vscode.Event<Job>;
  readonly onDidFinish: vscode.Event<{ job: Job; params: DoneParams }>;
  /** each epoch of a running job, as the server reports it */
  readonly onDidProgress: JobTracker["onDidProgress"];
  /** resolves with the job's nnet/done, even when it arrived before the call */
  finished(jobId: string): Promise<DoneParams>;
  running(): Job[];
  last(): Job | undefined;
  /** each redraw of a run's progress notification, with its text */
  readonly onDidShowProgress: vscode.Event<{ jobId: string; message: string }>;
}

/** What `activate` returns: the running pieces, for the editor tests and for other extensions. */
export interface NNetLabApi {
  readonly client: LanguageClient;
  /** Resolves true once the language server is running, false if it could not be started. */
  readonly ready: Promise<boolean>;
  readonly output: vscode.OutputChannel;
  readonly jobs: NNetJobsApi;
  readonly models: NNetModelsApi;
  /** the training panel as the editor tests see it */
  readonly panel: {
    /** what the panel shows, as the extension last sent it (undefined while it is closed) */
    state(): PanelState | undefined;
    readonly onDidListRuns: vscode.Event<HistoryRun[]>;
  };
  /** every notification the extension shows, with its buttons */
  readonly notices: { readonly onDidShow: vscode.Event<Notice> };
  /** the server's diagnostics as they arrive, empty ones included */
  readonly diagnostics: { published(uri: vscode.Uri): boolean; readonly onDidPublish: vscode.Event<vscode.Uri> };
  /** each "which network?" quick pick, as it is handed to the editor */
  readonly networkPick: { readonly onDidShow: vscode.Event<vscode.Uri> };
}

/** Saved models as the editor tests see them. */
export interface NNetModelsApi {
  /** the page the model viewer last drew for a .nnetmodel, if it is open */
  page(uri: vscode.Uri): string | undefined;
  readonly onDidDraw: vscode.Event<vscode.Uri>;
  /** a save, predict or export the server refused, with the message the user saw */
  readonly onDidRefuse: vscode.Event<{ method: string; message: string; noRun: boolean }>;
}

let running: RunningLanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): NNetLabApi {
  const output = vscode.window.createOutputChannel("NNet Lab");
  context.subscriptions.push(output);
  const published = new PublishedDiagnostics();
  running = startLanguageClient(context, output, published.middleware);
  const { client, ready } = running;
  askServerWith(client);
  const jobs = new JobTracker(client);
  const summaries = new SummaryProvider(client);
  const panel = new PanelLink(context, client, jobs, output);
  const notices = new Notices();
  const runView = new RunView(jobs, output, notices);
  const models = new ModelCommands({ client, ready, jobs, panel, output });
  const viewer = new ModelViewer(client, ready);
  context.subscriptions.push(
    published,
    jobs,
    summaries,
    panel,
    notices,
    runView,
    vscode.workspace.registerFileSystemProvider(summaryScheme, summaries, { isReadonly: true, isCaseSensitive: true }),
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Stopped) jobs.serverStopped();
    }),
    ...registerCommands({ jobs, panel, summaries, output, ready, notices }),
    models,
    ...models.register(),
    ModelViewer.register(viewer),
    ...registerDebugger(context),
    ...registerDebugValues(),
  );
  return {
    client, ready, output,
    jobs: {
      onDidStart: jobs.onDidStart,
      onDidFinish: jobs.onDidFinish,
      onDidProgress: jobs.onDidProgress,
      finished: (jobId) => jobs.finished(jobId),
      running: () => jobs.running(),
      last: () => jobs.last(),
      onDidShowProgress: runView.onDidShowProgress,
    },
    notices: { onDidShow: notices.onDidShow },
    diagnostics: { published: (uri) => published.has(uri), onDidPublish: published.onDidPublish },
    networkPick: { onDidShow: onDidShowNetworkPick },
    panel: { state: () => TrainingPanel.currentPanel?.panelState, onDidListRuns: panel.onDidListRuns },
    models: { page: (uri) => viewer.page(uri), onDidDraw: viewer.onDidDraw, onDidRefuse: models.onDidRefuse },
  };
}

export async function deactivate(): Promise<void> {
  const client = running?.client;
  running = undefined;
  if (client?.needsStop()) await client.stop();
}
