/**
 * The fuzz cases through the built server (node out/server.js --stdio):
 * open, full and incremental changes, and every read-only request on each
 * case. Every request is answered (a result or an LSP error, never silence),
 * diagnostics keep arriving, no provider fails, and the process outlives
 * malformed JSON-RPC, unknown methods, unknown documents and positions past
 * the end.
 */
import { existsSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Position, TextDocumentContentChangeEvent, TextEdit } from "vscode-languageserver-protocol";
import { formatText } from "../../server/src/language/ide/index";
import { serverPath, startClient, type TestClient } from "../lsp/client";
import { fuzzCase, hugeCases } from "./generators";

const cases = fc.sample(fuzzCase, { numRuns: 300, seed: 20261202 });

type Answer = { result: unknown } | { error: unknown };

// out/server.js is built by `npm test` (or `npm run build`) before the suite, never here: other files read it meanwhile
describe.skipIf(!existsSync(serverPath))("fuzz: the language server over stdio", () => {
  let client: TestClient;
  const failures: string[] = [];
  const logged: string[] = [];
  const logWaiters: { test: (message: string) => boolean; resolve: () => void }[] = [];
  const logMessage = (test: (message: string) => boolean): Promise<void> => new Promise((resolve) => logWaiters.push({ test, resolve }));
  let slowest = { method: "", ms: 0 };
  const answered = { requests: 0, withContent: 0, errors: 0 };

  /** Sends a request; an LSP error is an answer. Silence is caught by the test's own timeout, not by a clock here. */
  async function ask(method: string, params: unknown): Promise<Answer> {
    const start = performance.now();
    const got = await client.connection.sendRequest(method, params).then((result): Answer => ({ result }), (error: unknown): Answer => ({ error }));
    const ms = performance.now() - start;
    if (ms > slowest.ms) slowest = { method, ms };
    answered.requests++;
    if ("error" in got) answered.errors++;
    else if (got.result !== null && !(Array.isArray(got.result) && got.result.length === 0)) answered.withContent++;
    return got;
  }

  beforeAll(async () => {
    client = await startClient({ initializationOptions: { diagnosticsDebounceMs: 0 } });
    client.connection.onNotification("window/logMessage", (params: { type: number; message: string }) => {
      logged.push(params.message);
      for (const waiter of [...logWaiters]) if (waiter.test(params.message)) logWaiters.splice(logWaiters.indexOf(waiter), 1), waiter.resolve();
    });
  });

  afterAll(async () => {
    await client?.close();
  });

  /** Positions to ask at: the start, the end, past the end, and a few between. */
  function positions(document: TextDocument): Position[] {
    const length = document.getText().length;
    const inside = [0, 1, 2, 3].map((i) => document.positionAt(Math.floor((i * length) / 3)));
    return [...inside, { line: document.lineCount + 5, character: 3 }, { line: 0, character: 100_000 }];
  }

  async function readAll(uri: string, document: TextDocument, diagnostics: unknown[]): Promise<void> {
    const textDocument = { uri };
    const whole = { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) };
    const requests: Promise<Answer>[] = [
      ...positions(document).map((position) => ask("textDocument/hover", { textDocument, position })),
      ...positions(document).slice(0, 3).map((position) => ask("textDocument/completion", { textDocument, position })),
      ask("textDocument/inlayHint", { textDocument, range: whole }),
      ask("textDocument/semanticTokens/full", { textDocument }),
      ask("textDocument/documentSymbol", { textDocument }),
      ask("textDocument/foldingRange", { textDocument }),
      ask("textDocument/codeAction", { textDocument, range: whole, context: { diagnostics } }),
    ];
    const formatting = ask("textDocument/formatting", { textDocument, options: { tabSize: 2, insertSpaces: true } });
    await Promise.all(requests);
    const formatted = await formatting;
    if ("result" in formatted) {
      const edits = (formatted.result ?? []) as TextEdit[];
      const text = TextDocument.applyEdits(document, edits);
      if (text !== formatText(document.getText())) failures.push(`formatting over LSP differs from formatText for ${JSON.stringify(document.getText().slice(0, 200))}`);
    } else failures.push(`formatting answered an error: ${JSON.stringify(formatted.error)}`);
  }

  /** Two edits derived from the case itself: a replacement in the middle and an insertion past the end. */
  function incremental(text: string, index: number): TextDocumentContentChangeEvent[] {
    const mirror = TextDocument.create("file:///m", "nnet", 0, text);
    const at = (index * 7919) % (text.length + 1);
    return [
      { range: { start: mirror.positionAt(at), end: mirror.positionAt(Math.min(text.length, at + (index % 5))) }, text: ["", "}", "layer ", "\u{1F9E0}", "\r\n", "1e400"][index % 6]! },
      { range: { start: { line: mirror.lineCount + 3, character: 0 }, end: { line: mirror.lineCount + 9, character: 4 } }, text: "\n// tail" },
    ];
  }

  async function runCase(index: number, valid: string, mutated: string): Promise<void> {
    const uri = `file:///fuzz/case-${index}.nnet`;
    let document = TextDocument.create(uri, "nnet", 1, valid);
    await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "nnet", version: 1, text: valid } });
    document = TextDocument.update(document, [{ text: mutated }], 2);
    await client.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [{ text: mutated }] });
    const changes = incremental(mutated, index);
    document = TextDocument.update(document, changes, 3);
    await client.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: 3 }, contentChanges: changes });
    // no clock of its own: a publication that never comes fails the test at its timeout
    const published = await client.diagnostics(uri, (params) => params.version === 3, 600_000);
    await readAll(uri, document, published.diagnostics);
    if (index % 10 !== 0) await client.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
  }

  it(`answers every request on ${cases.length} fuzz cases, opened, replaced and edited incrementally`, async () => {
    for (const [index, fuzz] of cases.entries()) await runCase(index, fuzz.valid, fuzz.text);
    console.log(`server fuzz: ${cases.length} cases, ${answered.requests} requests answered (${answered.withContent} with content, ${answered.errors} errors), slowest answer ${slowest.method} ${slowest.ms.toFixed(1)} ms (requests sent concurrently per case)`);
    expect(failures).toEqual([]);
    expect(answered.errors).toBe(0);
    expect(answered.withContent).toBeGreaterThan(5 * cases.length);
  });

  it("answers on huge texts too: 10,000-deep nesting and a 1 MB line", async () => {
    const huge = hugeCases().filter((each) => /nested \{ \} in a network|1 MB line comment|1 MB inline row/.test(each.name));
    for (const [index, each] of huge.entries()) await runCase(10_000 + index, "", each.text);
    expect(failures).toEqual([]);
  });

  it("lives through malformed JSON-RPC, unknown methods, unknown documents and positions past the end", async () => {
    const stdin = client.process.stdin!;
    const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body, "utf8")}\r\n\r\n${body}`;
    for (const body of ["{oops", "[]", "42", "null", '{"jsonrpc":"2.0"}', '{"jsonrpc":"2.0","method":42}', '{"jsonrpc":"2.0","id":"raw-1","method":"nnet/noSuchMethod"}', '{"jsonrpc":"1.0","id":{},"method":"textDocument/hover"}', '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":null}}', '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///x.nnet","version":9},"contentChanges":[{"text":5}]}}']) {
      stdin.write(frame(body));
    }
    // a header without a usable Content-Length is dropped; vscode-jsonrpc 8.2 reads what came in the same chunk only
    // once more bytes arrive, so the next message is sent once the server has logged the drop
    // each waits for its own drop: the bodies above are logged as dropped too, and may be logged late
    for (const [header, why] of [["Foo: bar\r\n\r\n", "Header must provide a Content-Length property."], ["Content-Length: abc\r\n\r\n", "Content-Length value must be a number. Got abc"]] as const) {
      const dropped = logMessage((message) => message.startsWith(`dropped a malformed message: ${why}`));
      stdin.write(header);
      await dropped;
      await ask("textDocument/hover", { textDocument: { uri: "file:///fuzz/case-0.nnet" }, position: { line: 0, character: 0 } });
    }
    const unknown = await ask("nnet/noSuchMethod", { anything: true });
    expect("error" in unknown ? (unknown.error as { code: number }).code : undefined).toBe(-32601);
    await client.connection.sendNotification("nnet/noSuchNotification", { anything: true });
    await client.connection.sendNotification("textDocument/didChange", { textDocument: { uri: "file:///never-opened.nnet", version: 2 }, contentChanges: [{ text: "x" }] });
    await client.connection.sendNotification("textDocument/didClose", { textDocument: { uri: "file:///never-opened.nnet" } });
    const nowhere = { uri: "file:///never-opened.nnet" };
    await readAll(nowhere.uri, TextDocument.create(nowhere.uri, "nnet", 1, ""), []);
    const open = "file:///fuzz/case-0.nnet";
    for (const position of [{ line: -1, character: -5 }, { line: 1e9, character: 1e9 }, { line: 0.5, character: 1.5 }, { line: "1", character: null }]) {
      await ask("textDocument/hover", { textDocument: { uri: open }, position });
      await ask("textDocument/completion", { textDocument: { uri: open }, position });
    }
    await ask("textDocument/hover", null);
    await ask("textDocument/inlayHint", { textDocument: { uri: open }, range: { start: { line: 9, character: 0 }, end: { line: 0, character: 0 } } });
    await ask("textDocument/codeAction", { textDocument: { uri: open }, range: { start: { line: 0, character: 0 }, end: { line: 1e9, character: 0 } }, context: { diagnostics: [] } });
    expect(failures).toEqual([]);
  });

  it("is still running at the end, answers one more hover, and no provider failed on the way", async () => {
    expect(client.process.exitCode).toBeNull();
    expect(client.process.signalCode).toBeNull();
    const uri = "file:///fuzz/last.nnet";
    const text = "network n {\n  input x: 2\n  layer out: dense 1 sigmoid\n  loss bce\n}\n";
    await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "nnet", version: 1, text } });
    const last = await ask("textDocument/hover", { textDocument: { uri }, position: { line: 2, character: 9 } });
    expect(JSON.stringify(last)).toContain("BP1");
    expect(logged.filter((message) => message.startsWith("nnet:"))).toEqual([]);
  });
});
