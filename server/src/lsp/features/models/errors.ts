/**
 * How the model requests fail: malformed parameters are InvalidParams, every
 * known refusal (no run, a target that may not be written, an unreadable
 * model or CSV, an export the target cannot express) is RequestFailed with
 * the message as the user should read it. No run carries NoRunData, so the
 * editor can offer to train.
 */
import { ErrorCodes, LSPErrorCodes, ResponseError } from "vscode-languageserver/node";
import { ExportError } from "../../../export/index";
import { ModelFileError } from "../../../model/index";
import type { NoRunData } from "../../../protocol/index";
import { CsvDataError, DataFileError, LoadCancelled, ModelTargetError, NoRunError, TableError } from "../../../training/index";
import type { ServerContext } from "../../context";

export const invalidParams = (request: string): ResponseError<void> =>
  new ResponseError(ErrorCodes.InvalidParams, `${request}: malformed parameters`);

export function failure(context: ServerContext, what: string, error: unknown): ResponseError<NoRunData | void> {
  if (error instanceof LoadCancelled) return new ResponseError(LSPErrorCodes.RequestCancelled, `${what}: ${error.message}`);
  if (error instanceof NoRunError) {
    return new ResponseError<NoRunData>(LSPErrorCodes.RequestFailed, error.message, { noRun: true, ...(error.network ? { network: error.network } : {}) });
  }
  const known = [ModelTargetError, ModelFileError, TableError, ExportError, DataFileError, CsvDataError].some((kind) => error instanceof kind);
  const message = error instanceof Error ? error.message : String(error);
  if (!known) context.connection.console.error(`nnet: ${what}: ${error instanceof Error ? error.stack ?? message : message}`);
  return new ResponseError(LSPErrorCodes.RequestFailed, `${what}: ${message}`);
}

/** Runs a request's work, turning what it throws into the answer above. */
export function guarded<T>(context: ServerContext, what: string, work: () => T): T | ResponseError<NoRunData | void> {
  try {
    return work();
  } catch (error) {
    return failure(context, what, error);
  }
}

/** The same for work that gives way to the event loop (a large CSV). */
export async function guardedAsync<T>(context: ServerContext, what: string, work: () => Promise<T>): Promise<T | ResponseError<NoRunData | void>> {
  try {
    return await work();
  } catch (error) {
    return failure(context, what, error);
  }
}
