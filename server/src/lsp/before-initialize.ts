/**
 * The protocol's rule before `initialize`: a request is answered with
 * ServerNotInitialized (−32002) and a notification other than `exit` is
 * dropped. Applied to the incoming messages, so no handler has to check.
 */
import {
  ErrorCodes, Message, type DataCallback, type MessageReader, type MessageWriter, type NotificationMessage, type RequestMessage,
} from "vscode-languageserver/node";

export function untilInitialized(reader: MessageReader, writer: MessageWriter): MessageReader {
  let initializing = false;
  const gate = (message: Message, forward: DataCallback): void => {
    if (initializing) return forward(message);
    if (Message.isRequest(message)) {
      const request = message as RequestMessage;
      if (request.method === "initialize") {
        initializing = true;
        return forward(message);
      }
      void writer.write({
        jsonrpc: "2.0", id: request.id,
        error: { code: ErrorCodes.ServerNotInitialized, message: `the server is not initialized: send 'initialize' before '${request.method}'` },
      } as Message);
      return;
    }
    if (Message.isNotification(message) && (message as NotificationMessage).method === "exit") forward(message);
  };
  return {
    onError: reader.onError,
    onClose: reader.onClose,
    onPartialMessage: reader.onPartialMessage,
    listen: (callback) => reader.listen((message) => gate(message, callback)),
    dispose: () => reader.dispose(),
  };
}
