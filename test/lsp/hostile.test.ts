/**
 * The language server over its real protocol (the built `nnet lsp --stdio`
 * and out/server.js) against what used to give a silent wrong answer: a
 * request before `initialize`, data files read by a document that may not
 * read any, a non-BMP character before a diagnostic, and `maxEpochs: 0` or `threads: 0`.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type Hover } from "vscode-languageserver-protocol/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { open, positionOf, serverPath, startClient, type TestClient } from "./client";

const cliPath = resolve(__dirname, "../../out/cli.js");
const dir = mkdtempSync(join(tmpdir(), "nnet-lsp-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!existsSync(cliPath))("before initialize (nnet lsp --stdio)", () => {
  it("answers a request with ServerNotInitialized (-32002), then serves once initialized", async () => {
    const child = spawn(process.execPath, [cliPath, "lsp", "--stdio"], { stdio: ["pipe", "pipe", "ignore"] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    try {
      const hover = connection.sendRequest("textDocument/hover", { textDocument: { uri: "file:///a.nnet" }, position: { line: 0, character: 0 } });
      await expect(hover).rejects.toMatchObject({ code: -32002, message: expect.stringContaining("send 'initialize' before 'textDocument/hover'") });
      await expect(connection.sendRequest("shutdown")).rejects.toMatchObject({ code: -32002 });
      // a notification before initialize is dropped: this document is unknown afterwards
      connection.sendNotification("textDocument/didOpen", { textDocument: { uri: "file:///early.nnet", languageId: "nnet", version: 1, text: "network n {" } });
      const result = await connection.sendRequest<{ capabilities: object }>("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
      expect(result.capabilities).toHaveProperty("hoverProvider", true);
      connection.sendNotification("initialized", {});
      expect(await connection.sendRequest("textDocument/hover", { textDocument: { uri: "file:///early.nnet" }, position: { line: 0, character: 0 } })).toBeNull();
      await connection.sendRequest("shutdown");
      const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
      connection.sendNotification("exit");
      expect(await exited).toBe(0);
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});

const secret = "token,label\nSECRET-VALUE,1\n";
const reader = (path: string): string =>
  `network n {\n  input x: 1\n  layer out: dense 1 sigmoid\n  loss bce\n  data csv("${path}", target: "label")\n}\n`;

const csvProblem = (p: { diagnostics: { code?: string | number; message: string }[] }): string | undefined =>
  p.diagnostics.find((d) => d.code === "nnet/csv-missing-file")?.message;

describe.skipIf(!existsSync(serverPath))("a document that may read no data file", () => {
  let client: TestClient;
  const workspaceFolder = join(dir, "ws");
  const elsewhere = join(dir, "elsewhere");
  beforeAll(async () => {
    mkdirSync(workspaceFolder);
    mkdirSync(elsewhere);
    writeFileSync(join(dir, "secret.csv"), secret);
    writeFileSync(join(elsewhere, "beside.csv"), secret);
    writeFileSync(join(workspaceFolder, "own.csv"), "a,label\n1,0\n2,1\n");
    client = await startClient({ workspaceFolders: [workspaceFolder] });
  });
  afterAll(() => client?.close());

  const expectNothingShown = async (uri: string, text: string): Promise<void> => {
    const hover = await client.connection.sendRequest<Hover | null>("textDocument/hover", { textDocument: { uri }, position: positionOf(text, text.indexOf("csv(") + 1) });
    const summary = await client.connection.sendRequest("nnet/summary", { uri });
    expect(JSON.stringify([hover, summary, client.published.filter((p) => p.uri === uri)])).not.toMatch(/SECRET-VALUE|token/);
  };

  it("an untitled document: the diagnostic says why and how to allow it; hover, summary and training read nothing", async () => {
    const uri = "untitled:Untitled-1";
    const text = reader(join(dir, "secret.csv"));
    open(client, uri, text);
    const message = csvProblem(await client.diagnostics(uri, (p) => csvProblem(p) !== undefined));
    expect(message).toContain("an untitled document reads no data file");
    expect(message).toContain("set nnet.data.allowOutsideWorkspace to allow it");
    await expectNothingShown(uri, text);
    await expect(client.connection.sendRequest("nnet/train", { uri })).rejects.toThrow(/untitled document reads no data file/);
  });

  it("an untitled document cannot even learn whether a file exists", async () => {
    const uri = "untitled:Untitled-2";
    open(client, uri, reader(join(dir, "no-such.csv")));
    expect(csvProblem(await client.diagnostics(uri, (p) => csvProblem(p) !== undefined))).toContain("an untitled document reads no data file");
  });

  it("a file outside every workspace folder reads not even the CSV beside it", async () => {
    const uri = pathToFileURL(join(elsewhere, "n.nnet")).href;
    const text = reader("beside.csv");
    open(client, uri, text);
    const message = csvProblem(await client.diagnostics(uri, (p) => csvProblem(p) !== undefined));
    expect(message).toContain("lies outside every workspace folder");
    expect(message).toContain("nnet.data.allowOutsideWorkspace");
    await expectNothingShown(uri, text);
    await expect(client.connection.sendRequest("nnet/gradcheck", { uri })).rejects.toThrow(/outside every workspace folder/);
  });

  it("a file inside the workspace folder still reads its data", async () => {
    const uri = pathToFileURL(join(workspaceFolder, "n.nnet")).href;
    open(client, uri, reader("own.csv"));
    const published = await client.diagnostics(uri);
    expect(published.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
  });

  it("a data file wider than 100,000 columns is refused with its width", async () => {
    writeFileSync(join(workspaceFolder, "wide.csv"), Array.from({ length: 100_001 }, (_, i) => `c${i}`).join(",") + "\n" + "0,".repeat(100_000) + "0\n");
    const uri = pathToFileURL(join(workspaceFolder, "wide.nnet")).href;
    open(client, uri, reader("wide.csv").replace('"label"', '"c0"'));
    expect(csvProblem(await client.diagnostics(uri, (p) => csvProblem(p) !== undefined))).toContain("wide.csv: has 100,001 columns; the limit is 100,000");
  });

  it("maxEpochs 0 (the nnet.train.maxEpochs setting) is refused, not a run of 0 epochs", async () => {
    const uri = pathToFileURL(join(workspaceFolder, "n.nnet")).href;
    await expect(client.connection.sendRequest("nnet/train", { uri, maxEpochs: 0 })).rejects.toThrow("maxEpochs (the nnet.train.maxEpochs setting) must be a whole number ≥ 1, got 0");
  });

  it("threads 0 (the nnet.train.threads setting) is refused for training and for a gradient check", async () => {
    const uri = pathToFileURL(join(workspaceFolder, "n.nnet")).href;
    const said = "threads (the nnet.train.threads setting) must be a whole number ≥ 1, got 0";
    await expect(client.connection.sendRequest("nnet/train", { uri, threads: 0 })).rejects.toThrow(said);
    await expect(client.connection.sendRequest("nnet/gradcheck", { uri, threads: 0 })).rejects.toThrow(said);
  });
});

describe.skipIf(!existsSync(serverPath))("with nnet.data.allowOutsideWorkspace", () => {
  it("an untitled document and a file outside the folders read their data", async () => {
    const client = await startClient({ workspaceFolders: [join(dir, "ws")] });
    try {
      writeFileSync(join(dir, "open.csv"), "a,label\n1,0\n2,1\n");
      writeFileSync(join(dir, "elsewhere", "open.csv"), "a,label\n1,0\n2,1\n");
      client.settings = { ...client.settings, data: { allowOutsideWorkspace: true } };
      client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
      const clean = (p: { diagnostics: { severity?: number }[] }): boolean => p.diagnostics.every((d) => d.severity !== 1);
      const untitled = "untitled:Untitled-3";
      const outside = pathToFileURL(join(dir, "elsewhere", "m.nnet")).href;
      open(client, untitled, reader(join(dir, "open.csv")));
      open(client, outside, reader("open.csv"));
      // the change of policy re-publishes every open document
      await client.diagnostics(untitled, clean);
      await client.diagnostics(outside, clean);
    } finally {
      await client.close();
    }
  });
});

describe.skipIf(!existsSync(serverPath))("positions after a character outside the BMP", () => {
  it("LSP ranges count UTF-16 units", async () => {
    const client = await startClient();
    try {
      const line = "  layer out: /* 😀 𝔁 */ dense 1 tahn";
      const text = `network n {\n  input x: 2\n${line}\n  loss bce\n  data xor\n}\n`;
      open(client, "file:///emoji.nnet", text);
      const published = await client.diagnostics("file:///emoji.nnet");
      const unknown = published.diagnostics.find((d) => d.code === "nnet/unknown-activation")!;
      expect(unknown.range.start).toEqual({ line: 2, character: line.indexOf("tahn") });
      expect(unknown.range.end).toEqual({ line: 2, character: line.indexOf("tahn") + 4 });
    } finally {
      await client.close();
    }
  });
});
