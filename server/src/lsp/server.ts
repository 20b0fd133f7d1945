/**
 * The language server: one connection, the open documents, and one line
 * per feature. Every answer comes from the IDE layer as plain data and is
 * converted in `convert.ts`.
 */
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, IPCMessageReader, IPCMessageWriter, ProposedFeatures, TextDocumentSyncKind,
  type Connection, type InitializeResult,
} from "vscode-languageserver/node";
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
import type { ServerContext } from "./context";
import { semanticLegend } from "./convert";
import { DocumentStore } from "./documents";
import type { JobRunner } from "./jobs";
import { TrainingRunner } from "../training/index";
import { WorkspaceFolders } from "./workspace-folders";
import { RunStore } from "./runs";
import { Settings } from "./settings";

export type Transport = "stdio" | "ipc";

export interface ServerOptions {
  /** runs nnet/train and nnet/gradcheck; default the training layer's worker-thread runner (`unavailableRunner` turns training off) */
  runner?: JobRunner;
}

function connect(transport: Transport): Connection {
  if (transport === "ipc") return createConnection(ProposedFeatures.all, new IPCMessageReader(process), new IPCMessageWriter(process));
  return createConnection(ProposedFeatures.all, process.stdin, process.stdout);
}

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
};

/** Starts the server on stdio (editors, `nnet lsp --stdio`) or Node IPC (the VS Code client). */
export function startServer(transport: Transport, options: ServerOptions = {}): Connection {
  const connection = connect(transport);
  const folders = new WorkspaceFolders();
  const context: ServerContext = {
    connection,
    store: new DocumentStore((uri) => context.publish(uri), (uri) => {
      context.runs.forget(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }, (path) => folders.rootOf(path)),
    runs: new RunStore((uri) => context.store.text(uri)?.version),
    settings: new Settings(connection),
    runner: options.runner ?? new TrainingRunner({ workspaceRoot: (path) => folders.rootOf(path) }),
    publish: (uri) => publishDiagnostics(context, uri),
  };
  let dynamicConfiguration = false;
  connection.onInitialize((params) => {
    folders.set(params);
    context.settings.supported = params.capabilities.workspace?.configuration === true;
    dynamicConfiguration = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    const delay = (params.initializationOptions as { diagnosticsDebounceMs?: unknown } | undefined)?.diagnosticsDebounceMs;
    if (typeof delay === "number" && delay >= 0) context.store.debounceMs = delay;
    return { capabilities, serverInfo: { name: "nnet-language-server", version: "0.1.0" } };
  });
  // without this registration, a client that pulls settings is never told they changed
  connection.onInitialized(() => {
    if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
  });
  connection.onDidChangeConfiguration(() => {
    context.settings.changed();
    void connection.languages.inlayHint.refresh().catch(() => undefined);
  });
  connection.onShutdown(() => context.runner.dispose?.());
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
  context.store.documents.listen(connection);
  connection.listen();
  return connection;
}
