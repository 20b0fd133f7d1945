import type * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
} from "vscode-languageclient/node";

/** The language server is restarted this many times within the window before the client gives up. */
const maxRestarts = 3;
const restartWindowMs = 3 * 60_000;

export interface RunningLanguageClient {
  readonly client: LanguageClient;
  /** Resolves true once the server has answered `initialize`, false if it could not be started. */
  readonly ready: Promise<boolean>;
}

/**
 * Starts `out/server.js` over IPC for every `nnet` document. A server that
 * exits or fails to initialise is reported in the output channel, never by a
 * thrown activation: editing must keep working without it.
 */
export function startLanguageClient(
  context: vscode.ExtensionContext,
  output: vscode.OutputChannel,
  middleware: Middleware = {},
): RunningLanguageClient {
  const module = context.asAbsolutePath("out/server.js");
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6009"] } },
  };
  const errorHandler = new LoggingErrorHandler(output);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: "nnet" }],
    outputChannel: output,
    // The server caches `nnet.*` settings per document and drops the cache on didChangeConfiguration.
    synchronize: { configurationSection: "nnet" },
    errorHandler,
    middleware,
    // the run history lives in the workspace's storage (none in an empty window: it is kept for the session)
    ...(context.storageUri ? { initializationOptions: { storagePath: context.storageUri.fsPath } } : {}),
    initializationFailedHandler: (error) => {
      output.appendLine(`[client] the language server failed to initialise: ${describe(error)}`);
      return false;
    },
  };
  const client = new NNetLanguageClient("nnet", "NNet Lab", serverOptions, clientOptions);
  context.subscriptions.push(
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Running) errorHandler.serverHasRun = true;
      output.appendLine(`[client] language server ${stateName(newState)}`);
    }),
  );
  const ready = client.start().then(
    () => true,
    (error: unknown) => {
      output.appendLine(`[client] the language server could not be started: ${describe(error)}`);
      return false;
    },
  );
  return { client, ready };
}

/**
 * vscode-languageclient 9 calls stop() itself after a failed `initialize`, and
 * stop() throws unless the client is running: that would surface as an
 * unhandled rejection in the extension host. Stopping a client that is not
 * running has nothing to do.
 */
class NNetLanguageClient extends LanguageClient {
  override stop(timeout?: number): Promise<void> {
    return this.isRunning() ? super.stop(timeout) : Promise.resolve();
  }
}

/** Logs connection trouble instead of raising notifications, and bounds restarts. */
class LoggingErrorHandler implements ErrorHandler {
  private readonly restarts: number[] = [];
  /** A server that exits before it ever answered `initialize` is not restarted: it would only exit again. */
  serverHasRun = false;

  constructor(private readonly output: vscode.OutputChannel) {}

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    this.output.appendLine(`[client] connection error (${count ?? 1}): ${describe(error)}`);
    return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    if (!this.serverHasRun) {
      const message = "[client] the language server exited before it started; it will not be restarted";
      return { action: CloseAction.DoNotRestart, message, handled: true };
    }
    const now = Date.now();
    while (this.restarts.length > 0 && now - this.restarts[0]! > restartWindowMs) this.restarts.shift();
    if (this.restarts.length >= maxRestarts) {
      const message = `[client] the language server exited ${maxRestarts + 1} times in a few minutes; it will not be restarted`;
      return { action: CloseAction.DoNotRestart, message, handled: true };
    }
    this.restarts.push(now);
    return { action: CloseAction.Restart, message: "[client] the language server exited; restarting it", handled: true };
  }
}

function stateName(state: State): string {
  switch (state) {
    case State.Starting:
      return "starting";
    case State.Running:
      return "running";
    case State.Stopped:
      return "stopped";
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
