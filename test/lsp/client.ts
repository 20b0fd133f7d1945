/** A minimal LSP client over the built server's stdio, for protocol tests and the benchmark. */
import { spawn, type ChildProcess } from "node:child_process";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";

export const serverPath = resolve(__dirname, "../../out/server.js");

export interface TestClient {
  connection: ProtocolConnection;
  process: ChildProcess;
  published: PublishDiagnosticsParams[];
  /** resolves with the first publication for `uri` that satisfies `test` (including ones already received) */
  diagnostics(uri: string, test?: (params: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  settings: { inlayHints: { enabled: boolean }; data?: { allowOutsideWorkspace: boolean } };
  close(): Promise<void>;
}

export async function startClient(options: { command?: string[]; initializationOptions?: unknown; workspaceFolders?: string[] } = {}): Promise<TestClient> {
  const [program, ...args] = options.command ?? [process.execPath, serverPath, "--stdio"];
  const child = spawn(program!, args, { stdio: ["pipe", "pipe", "pipe"] });
  child.stderr!.on("data", () => undefined);
  child.stdin!.on("error", () => undefined);
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; test: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const client: TestClient = {
    connection, process: child, published, settings: { inlayHints: { enabled: true } },
    diagnostics(uri, test = () => true, timeoutMs = 120_000) {
      const already = published.find((p) => p.uri === uri && test(p));
      if (already) return Promise.resolve(already);
      return new Promise((resolveWait, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ uri, test, resolve: (p) => { clearTimeout(timer); resolveWait(p); } });
      });
    },
    async close() {
      const exited = new Promise<void>((done) => {
        if (child.exitCode !== null) done();
        child.once("exit", () => done());
      });
      try {
        await connection.sendRequest("shutdown");
        await connection.sendNotification("exit");
      } catch { /* the server may already be gone */ }
      await Promise.race([exited, new Promise((done) => setTimeout(done, 2000))]);
      connection.dispose();
      if (child.exitCode === null) child.kill();
    },
  };
  connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
    published.push(params);
    for (const waiter of [...waiters]) {
      if (waiter.uri === params.uri && waiter.test(params)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    }
  });
  connection.onRequest("workspace/configuration", (params: { items: unknown[] }) => params.items.map(() => client.settings));
  connection.onRequest("workspace/inlayHint/refresh", () => null);
  connection.listen();
  await connection.sendRequest("initialize", {
    processId: process.pid, rootUri: null,
    workspaceFolders: options.workspaceFolders?.map((path) => ({ uri: pathToFileURL(path).href, name: basename(path) })) ?? null,
    capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    initializationOptions: options.initializationOptions,
  });
  connection.sendNotification("initialized", {});
  return client;
}

export function open(client: TestClient, uri: string, text: string, version = 1): void {
  client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "nnet", version, text } });
}

/** The 0-based line and character of an offset. */
export function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}
