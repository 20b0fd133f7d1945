/**
 * The extension's side of the custom messages: each takes the message's
 * declaration from the server's protocol, so no call site restates a type.
 */
import type { CancellationToken, Disposable } from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import type { NotificationType, RequestType } from "../../server/src/protocol";

export function sendRequest<P, R>(client: LanguageClient, type: RequestType<P, R>, params: NoInfer<P>, token?: CancellationToken): Promise<R> {
  return client.sendRequest<R>(type.method, params, token);
}

export function onNotification<P>(client: LanguageClient, type: NotificationType<P>, handler: (params: NoInfer<P>) => void): Disposable {
  return client.onNotification(type.method, handler);
}
