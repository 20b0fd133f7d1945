/**
 * The server's side of the custom messages: each takes the message's
 * declaration from `protocol/`, so handlers and senders are typed by it.
 */
import type { Connection, RequestHandler } from "vscode-languageserver/node";
import type { NotificationType, RequestType } from "../protocol/index";

export function onRequest<P, R, E = unknown>(connection: Connection, type: RequestType<P, R>, handler: RequestHandler<NoInfer<P>, NoInfer<R>, E>): void {
  connection.onRequest(type.method, handler);
}

export function sendNotification<P>(connection: Connection, type: NotificationType<P>, params: NoInfer<P>): Promise<void> {
  return connection.sendNotification(type.method, params);
}
