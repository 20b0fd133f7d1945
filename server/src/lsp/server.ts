/**
 * The language server: one connection, the open documents, and one line
 * per feature. Every answer comes from the IDE layer as plain data and is
 * converted in `convert.ts`.
 */
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, IPCMessageReader, IPCMessageWriter, ProposedFeatures, StreamMessageReader,
  StreamMessageWriter, TextDocumentSyncKind, type MessageReader, type MessageWriter,
  type Connection, type InitializeResult,
} from "vscode-languageserver/node";
import { untilInitialized } from "./before-initialize";
import { registerCodeActions } from "./features/code-actions";
import { registerCodeLens } from "./features/code-lens";
import { completionTriggers, registerCompletion } from "./features/completion";
import { publishDiagnostics } from "./features/diagnostics";
import { registerFolding } from "./features/folding";
import { registerFormatting } from "./features/formatting";
import { registerHover } from "./features/hover";
import { registerInlayHints } from "./features/inlay-hints";
import { registerNavigation } from "./features/navigation";
import { registerRename } from "./features/rename";
import { registerSemanticTokens } from "./features/semantic-tokens";
import { registerSymbols } from "./features/symbols";
import { registerSummary } from "./features/summary";
import { registerTraining } from "./features/training";
import { registerModels } from "./features/models/index";
import { registerRuns } from "./features/runs";
import type { ServerContext } from "./context";
import { semanticLegend } from "./convert";
import { DocumentStore } from "./documents";
import { join } from "node:path";
import { RunHistory, RunStore, TrainingRunner } from "../training/index";
import { WorkspaceFolders } from "./workspace-folders";
import { DataPolicy } from "./data-policy";
import { Settings } from "./settings";

export type Transport = "stdio" | "ipc";

function connect(transport: Transport): Connection {
  // as createConnection does for streams, which it is no longer given: the end of stdin ends the server
  if (transport === "stdio") for (const event of ["end", "close"]) process.stdin.on(event, () => process.exit(shutdown.received ? 0 : 1));
  const [reader, writer]: [MessageReader, MessageWriter] = transport === "ipc"
    ? [new IPCMessageReader(process), new IPCMessageWriter(process)]
    : [new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout)];
  const connection = createConnection(ProposedFeatures.all, untilInitialized(reader, writer), writer);
  // said, not swallowed: a client's framing bug is found from its log
  reader.onError((error) => connection.console.warn(`dropped a malformed message: ${error.message}`));
  return connection;
}

const shutdown = { received: false };

const capabilities: InitializeResult["capabilities"] = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  hoverProvider: true,
  completionProvider: { triggerCharacters: completionTriggers, resolveProvider: false },
  documentSymbolProvider: true,
  foldingRangeProvider: true,
  semanticTokensProvider: { legend: semanticLegend, full: true },
  inlayHintProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  documentFormattingProvider: true,
  renameProvider: { prepareProvider: true },
  definitionProvider: true,
  referencesProvider: true,
  codeLensProvider: { resolveProvider: false },
  workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
};

/** Starts the server on stdio (editors, `nnet lsp --stdio`) or Node IPC (the VS Code client). */
export function startServer(transport: Transport): Connection {
  const connection = connect(transport);
  const folders = new WorkspaceFolders();
  const data = new DataPolicy(folders);
  const context: ServerContext = {
    connection,
    store: new DocumentStore((uri) => context.publish(uri), (uri) => {
      context.runs.forget(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }, (uri) => data.files(uri)),
    runs: new RunStore(),
    settings: new Settings(connection),
    runner: new TrainingRunner({ dataFiles: (uri) => data.options(uri) }),
    publish: (uri) => publishDiagnostics(context, uri),
  };
  let dynamicConfiguration = false;
  let folderChanges = false;
  // what the checker may read has changed: every open document is checked again
  const recheckAll = (): void => {
    context.store.invalidate();
    for (const uri of context.store.all()) context.publish(uri);
  };
  connection.onInitialize((params) => {
    folders.set(params);
    context.settings.supported = params.capabilities.workspace?.configuration === true;
    dynamicConfiguration = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    folderChanges = params.capabilities.workspace?.workspaceFolders === true;
    const init = params.initializationOptions as { diagnosticsDebounceMs?: unknown; allowOutsideWorkspace?: unknown; storagePath?: unknown } | undefined;
    // the editor's storage for this workspace: the run history outlives the session there
    if (typeof init?.storagePath === "string" && init.storagePath) {
      context.runs.history = new RunHistory({ file: join(init.storagePath, "runs.json"), warn: (message) => connection.console.warn(message) });
    }
    if (typeof init?.diagnosticsDebounceMs === "number" && init.diagnosticsDebounceMs >= 0) context.store.debounceMs = init.diagnosticsDebounceMs;
    // editors without workspace/configuration (e.g. over stdio) can say it once here
    if (init?.allowOutsideWorkspace === true) data.allowOutsideWorkspace = true;
    return { capabilities, serverInfo: { name: "nnet-language-server", version: "0.1.0" } };
  });
  // without this registration, a client that pulls settings is never told they changed
  const readDataPolicy = async (): Promise<void> => {
    if (!context.settings.supported) return;
    const allow = (await context.settings.global()).data.allowOutsideWorkspace;
    if (allow === data.allowOutsideWorkspace) return;
    data.allowOutsideWorkspace = allow;
    recheckAll();
  };
  connection.onInitialized(() => {
    if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
    // the feature throws for a client that never sends the change
    if (folderChanges) connection.workspace.onDidChangeWorkspaceFolders((event) => {
      folders.change(event);
      recheckAll();
    });
    void readDataPolicy();
  });
  connection.onDidChangeConfiguration(() => {
    context.settings.changed();
    void readDataPolicy();
    void connection.languages.inlayHint.refresh().catch(() => undefined);
  });
  connection.onShutdown(() => {
    shutdown.received = true;
    context.runner.dispose();
  });
  registerHover(context);
  registerCompletion(context);
  registerSymbols(context);
  registerFolding(context);
  registerSemanticTokens(context);
  registerInlayHints(context);
  registerCodeActions(context);
  registerFormatting(context);
  registerRename(context);
  registerNavigation(context);
  registerCodeLens(context);
  registerTraining(context);
  registerSummary(context);
  registerModels(context);
  registerRuns(context);
  context.store.documents.listen(connection);
  connection.listen();
  return connection;
}
