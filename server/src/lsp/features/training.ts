import { LSPErrorCodes, ResponseError } from "vscode-languageserver/node";
import {
  DataProgressNotification, DoneNotification, GradcheckRequest, ProgressNotification, StopRequest, TrainRequest,
  type DataProgressParams, type DoneParams, type JobStarted, type ProgressParams,
} from "../../protocol/index";
import type { ServerContext } from "../context";
import { pathOfUri } from "../convert";
import type { JobContext } from "../jobs";
import { onRequest, sendNotification } from "../messages";

/** Inlay hints follow a running job's gradient norms, at most this often. */
const HINT_REFRESH_MS = 1000;

function jobContext(context: ServerContext, uri: string): JobContext | undefined {
  const text = context.store.text(uri);
  if (!text) return undefined;
  const path = pathOfUri(uri);
  let refreshed = 0;
  return {
    uri,
    ...(path ? { path } : {}),
    text: text.getText(),
    version: text.version,
    progress(params: ProgressParams) {
      context.runs.progress(params);
      void sendNotification(context.connection, ProgressNotification, params);
      if (Date.now() - refreshed > HINT_REFRESH_MS) {
        refreshed = Date.now();
        void context.connection.languages.inlayHint.refresh().catch(() => undefined);
      }
    },
    dataProgress(params: DataProgressParams) {
      void sendNotification(context.connection, DataProgressNotification, params);
    },
    done(params: DoneParams) {
      context.runs.done(params);
      void sendNotification(context.connection, DoneNotification, params);
      context.publish(params.uri);
      void context.connection.languages.inlayHint.refresh().catch(() => undefined);
    },
  };
}

async function start<P extends { uri: string }>(
  context: ServerContext, params: P, run: (params: P, job: JobContext) => Promise<JobStarted>,
): Promise<JobStarted | ResponseError<void>> {
  const job = jobContext(context, params.uri);
  if (!job) return new ResponseError(LSPErrorCodes.RequestFailed, `the document ${params.uri} is not open in the language server`);
  try {
    return await run(params, job);
  } catch (error) {
    return new ResponseError(LSPErrorCodes.RequestFailed, error instanceof Error ? error.message : String(error));
  }
}

export function registerTraining(context: ServerContext): void {
  const { connection, runner } = context;
  onRequest(connection, TrainRequest, (params) => start(context, params, (p, job) => runner.train(p, job)));
  onRequest(connection, GradcheckRequest, (params) => start(context, params, (p, job) => runner.gradcheck(p, job)));
  onRequest(connection, StopRequest, async (params) => {
    try {
      return await runner.stop(params);
    } catch (error) {
      return new ResponseError(LSPErrorCodes.RequestFailed, error instanceof Error ? error.message : String(error));
    }
  });
}
