import { ErrorCodes, LSPErrorCodes, ResponseError } from "vscode-languageserver/node";
import { EditRunRequest, RunsRequest, type EditRunParams, type RunsParams, type RunsResult } from "../../protocol/index";
import type { ServerContext } from "../context";
import { onRequest } from "../messages";

const isText = (value: unknown): value is string => typeof value === "string";

/** The run history: a network's runs (each saying whether the document still has its text), and renaming, pinning, deleting. */
export function registerRuns(context: ServerContext): void {
  onRequest(context.connection, RunsRequest, (params: RunsParams): RunsResult | ResponseError<void> => {
    if (!isText(params?.uri) || (params.network !== undefined && !isText(params.network))) return new ResponseError(ErrorCodes.InvalidParams, `${RunsRequest.method}: malformed parameters`);
    return { runs: context.runs.history.list(params.uri, params.network, context.store.text(params.uri)?.getText()) };
  });
  onRequest(context.connection, EditRunRequest, (params: EditRunParams): { ok: true } | ResponseError<void> => {
    const valid = isText(params?.id) && (params.name === undefined || isText(params.name))
      && (params.pinned === undefined || typeof params.pinned === "boolean") && (params.remove === undefined || params.remove === true);
    if (!valid) return new ResponseError(ErrorCodes.InvalidParams, `${EditRunRequest.method}: malformed parameters`);
    if (!context.runs.history.edit(params)) return new ResponseError(LSPErrorCodes.RequestFailed, `no run ${params.id} in the run history`);
    return { ok: true };
  });
}
