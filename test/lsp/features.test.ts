/** Every registered feature answers over the protocol, converted to LSP types (positions, kinds, edits). */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  CodeAction, CodeLens, DocumentSymbol, FoldingRange, Location, SemanticTokens, TextEdit, WorkspaceEdit,
} from "vscode-languageserver-protocol";
import { open, positionOf, serverPath, startClient, type TestClient } from "./client";

const text = `network dag {
  input x: 3
  layer h1: dense 8 relu
  layer h2: dense 8 tahn
  layer res: add(h1, h2)
  layer out: dense 3 softmax
  loss cross_entropy
  data iris
  train {
    epochs 10
  }
}
`;
const uri = "file:///features.nnet";
const at = (needle: string, delta = 1) => ({ textDocument: { uri }, position: positionOf(text, text.indexOf(needle) + delta) });

describe.skipIf(!existsSync(serverPath))("LSP features of the built server", () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient();
    open(client, uri, text);
    await client.diagnostics(uri);
  });
  afterAll(async () => client?.close());

  it("document symbols: the network with its entries", async () => {
    const symbols = await client.connection.sendRequest<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri } });
    expect(symbols[0]!.name).toBe("dag");
    expect(symbols[0]!.children!.map((child) => child.name)).toContain("res");
    expect(symbols[0]!.selectionRange.start).toEqual(positionOf(text, text.indexOf("dag")));
  });

  it("folding ranges: the body and the train block", async () => {
    const ranges = await client.connection.sendRequest<FoldingRange[]>("textDocument/foldingRange", { textDocument: { uri } });
    expect(ranges.map((range) => [range.startLine, range.endLine])).toEqual([[0, 10], [8, 9]]);
  });

  it("semantic tokens: encoded relative to each other", async () => {
    const tokens = await client.connection.sendRequest<SemanticTokens>("textDocument/semanticTokens/full", { textDocument: { uri } });
    expect(tokens.data.length % 5).toBe(0);
    expect(tokens.data.slice(0, 5)).toEqual([0, 0, "network".length, 0, 0]);
  });

  it("definition and references of a layer", async () => {
    const definition = await client.connection.sendRequest<Location>("textDocument/definition", at("h1, h2"));
    expect(definition.range.start).toEqual(positionOf(text, text.indexOf("h1:")));
    const references = await client.connection.sendRequest<Location[]>("textDocument/references", { ...at("h1:"), context: { includeDeclaration: true } });
    expect(references.length).toBe(2);
  });

  it("rename edits every use, and refuses a taken name with an error", async () => {
    const edit = await client.connection.sendRequest<WorkspaceEdit>("textDocument/rename", { ...at("h1:"), newName: "first" });
    expect(edit.changes![uri]!.length).toBe(2);
    await expect(client.connection.sendRequest("textDocument/rename", { ...at("h1:"), newName: "res" })).rejects.toThrow(/already has/);
  });

  it("code actions: the did-you-mean fix for 'tahn'", async () => {
    const start = positionOf(text, text.indexOf("tahn"));
    const actions = await client.connection.sendRequest<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri }, range: { start, end: start }, context: { diagnostics: [] },
    });
    const fix = actions.find((action) => action.title === "Change to 'tanh'")!;
    expect(fix.edit!.changes![uri]![0]!.newText).toBe("tanh");
  });

  it("formatting: one edit to the canonical layout", async () => {
    const messy = "network m{\ninput x:2\n  layer o :dense 1\n}";
    const other = "file:///messy.nnet";
    open(client, other, messy);
    const edits = await client.connection.sendRequest<TextEdit[]>("textDocument/formatting", { textDocument: { uri: other }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits[0]!.newText).toBe("network m {\n  input x: 2\n  layer o: dense 1\n}\n");
  });

  it("code lenses: train, gradient check, summary and step through with their arguments", async () => {
    const lenses = await client.connection.sendRequest<CodeLens[]>("textDocument/codeLens", { textDocument: { uri } });
    expect(lenses.map((lens) => lens.command!.command)).toEqual(["nnet.train", "nnet.gradcheck", "nnet.summary", "nnet.debug"]);
    expect(lenses[0]!.command!.arguments).toEqual([{ uri, network: "dag" }]);
  });
});

describe.skipIf(!existsSync(join(__dirname, "../../out/cli.js")))("nnet lsp --stdio", () => {
  it("serves diagnostics like the server bundle", async () => {
    const client = await startClient({ command: [process.execPath, join(__dirname, "../../out/cli.js"), "lsp", "--stdio"] });
    open(client, uri, text);
    const published = await client.diagnostics(uri);
    expect(published.diagnostics.map((d) => d.code)).toContain("nnet/unknown-activation");
    await client.close();
  });
});

describe.skipIf(!existsSync(serverPath))("node out/server.js --node-ipc (the VS Code client's transport)", () => {
  it("initializes and publishes diagnostics over Node IPC", async () => {
    const { fork } = await import("node:child_process");
    const { createProtocolConnection, IPCMessageReader, IPCMessageWriter } = await import("vscode-languageserver-protocol/node");
    const child = fork(serverPath, ["--node-ipc"], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const published = new Promise<{ diagnostics: { code?: unknown }[] }>((resolveWait) =>
      connection.onNotification("textDocument/publishDiagnostics", resolveWait));
    connection.listen();
    const result = await connection.sendRequest<{ capabilities: { textDocumentSync: { change: number } } }>("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
    expect(result.capabilities.textDocumentSync.change).toBe(2);
    connection.sendNotification("initialized", {});
    connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "nnet", version: 1, text } });
    expect((await published).diagnostics.map((d) => d.code)).toContain("nnet/unknown-activation");
    await connection.sendRequest("shutdown");
    await connection.sendNotification("exit");
    connection.dispose();
    child.kill();
  });
});
