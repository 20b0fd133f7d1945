import { LSPErrorCodes, ResponseError } from "vscode-languageserver/node";
import {
  DataProgressNotification, DoneNotification, GradcheckRequest, LastRunRequest, ProgressNotification, StopRequest, TrainRequest,
  type JobRefusedData, type LastRunParams, type LastRunResult,
  type DataProgressParams, type DoneParams, type JobKind, type JobStarted, type ProgressParams,
} from "../../protocol/index";
import type { ServerContext } from "../context";
import { pathOfUri } from "../convert";
import { onRequest, sendNotification } from "../messages";
import { JobRefusedError, type RunnerContext } from "../../training/index";

/** Inlay hints follow a running job's gradient norms, at most this often. */
const HINT_REFRESH_MS = 1000;

function jobContext(context: ServerContext, uri: string): RunnerContext | undefined {
  const text = context.store.text(uri);
  if (!text) return undefined;
  const path = pathOfUri(uri);
  let refreshed = 0;
  const { version } = text;
  const source = text.getText();
  return {
    uri,
    ...(path ? { path } : {}),
    text: source,
    version,
    progress(params: ProgressParams) {
      context.runs.progress(params, version);
      void sendNotification(context.connection, ProgressNotification, params);
      if (Date.now() - refreshed > HINT_REFRESH_MS) {
        refreshed = Date.now();
        void context.connection.languages.inlayHint.refresh().catch(() => undefined);
      }
    },
    dataProgress(params: DataProgressParams) {
      void sendNotification(context.connection, DataProgressNotification, params);
    },
    done(params: DoneParams, ended) {
      context.runs.done(params, { version, text: source, ...ended });
      void sendNotification(context.connection, DoneNotification, params);
      context.publish(params.uri);
      void context.connection.languages.inlayHint.refresh().catch(() => undefined);
    },
  };
}

async function start<P extends { uri: string }>(
  context: ServerContext, kind: JobKind, params: P, run: (params: P, job: RunnerContext) => Promise<JobStarted>,
): Promise<JobStarted | ResponseError<JobRefusedData | void>> {
  const job = jobContext(context, params.uri);
  if (!job) return new ResponseError(LSPErrorCodes.RequestFailed, `the document ${params.uri} is not open in the language server`);
  try {
    const started = await run(params, job);
    context.runs.started({ ...started, uri: params.uri, kind }, job.version, started.summary);
    return started;
  } catch (error) {
    if (error instanceof JobRefusedError && error.errors.length > 0) {
      const data: JobRefusedData = { ...(error.network ? { network: error.network } : {}), errors: error.errors };
      return new ResponseError(LSPErrorCodes.RequestFailed, error.message, data);
    }
    return new ResponseError(LSPErrorCodes.RequestFailed, error instanceof Error ? error.message : String(error));
  }
}

function lastRun(context: ServerContext, params: LastRunParams): LastRunResult {
  const run = context.runs.lastRun(params.uri, params.network);
  if (!run) return {};
  const { jobId, network, kind, status, history } = run;
  return {
    run: {
      jobId, network, kind, status, history, epochs: run.epochs ?? 0,
      ...(run.summary ? { summary: run.summary } : {}), ...(run.message !== undefined ? { message: run.message } : {}),
      ...(run.gradcheck ? { gradcheck: run.gradcheck } : {}), ...(run.grid ? { grid: run.grid } : {}),
    },
  };
}

export function registerTraining(context: ServerContext): void {
  const { connection, runner } = context;
  onRequest(connection, LastRunRequest, (params) => lastRun(context, params));
  onRequest(connection, TrainRequest, (params) => start(context, "train", params, (p, job) => runner.train(p, job)));
  onRequest(connection, GradcheckRequest, (params) => start(context, "gradcheck", params, (p, job) => runner.gradcheck(p, job)));
  onRequest(connection, StopRequest, async (params) => {
    try {
      return await runner.stop(params);
    } catch (error) {
      return new ResponseError(LSPErrorCodes.RequestFailed, error instanceof Error ? error.message : String(error));
    }
  });
}
