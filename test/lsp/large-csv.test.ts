/**
 * A large CSV over the protocol: the server reports its loading with
 * nnet/dataProgress before the first epoch, and the checker's view of it
 * (a sample) still counts all its rows in the data hover.
 */
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CompletionList, Hover, MarkupContent, TextEdit } from "vscode-languageserver-protocol";
import type { DataProgressParams, DoneParams, ProgressParams } from "../../server/src/protocol/index";
import { open, positionOf, serverPath, startClient, type TestClient } from "./client";

const rows = 250_000;

describe.skipIf(!existsSync(serverPath))("a large CSV in the language server", () => {
  let client: TestClient;
  let dir = "";
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nnet-lsp-csv-"));
    const fd = openSync(join(dir, "big.csv"), "w");
    let chunk = "a,b,kind\n";
    for (let i = 0; i < rows; i++) {
      chunk += `${(i % 97) / 97},${(i % 89) / 89},${i % 2 ? "p" : "q"}\n`;
      if (chunk.length > 1 << 20) { writeSync(fd, chunk); chunk = ""; }
    }
    writeSync(fd, chunk);
    closeSync(fd);
    client = await startClient({ workspaceFolders: [dir] });
  });
  afterAll(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("completes the feature columns from the checker's sample of the file's header", async () => {
    const uri = pathToFileURL(join(dir, "columns.nnet")).href;
    const text = `network n {\n  input x: 2\n  layer out: dense 2 softmax\n  loss cross_entropy\n  data csv("big.csv", target: "kind", features: [])\n}\n`;
    open(client, uri, text);
    await client.diagnostics(uri);
    const list = await client.connection.sendRequest<CompletionList>("textDocument/completion", { textDocument: { uri }, position: positionOf(text, text.indexOf("[]") + 1) });
    expect(list.items.map((item) => [item.label, (item.textEdit as TextEdit).newText])).toEqual([["a", '"a"'], ["b", '"b"']]);
  });

  it("reports the loading before the first epoch, and hovers the whole file's row count", async () => {
    expect(statSync(join(dir, "big.csv")).size).toBeGreaterThan(4 * 2 ** 20);
    const uri = pathToFileURL(join(dir, "m.nnet")).href;
    const text = `network n {
  input x: 2
  layer out: dense 2 softmax
  loss cross_entropy
  data csv("big.csv", target: "kind")
  train { epochs 1, batch 4096 }
}
`;
    open(client, uri, text);
    expect((await client.diagnostics(uri)).diagnostics.filter((d) => d.severity === 1)).toEqual([]);
    const hover = await client.connection.sendRequest<Hover | null>("textDocument/hover", { textDocument: { uri }, position: positionOf(text, text.indexOf("csv(") + 1) });
    expect((hover!.contents as MarkupContent).value).toContain(`size: ${rows.toLocaleString("en-US")} rows`);
    const events: (DataProgressParams | ProgressParams)[] = [];
    client.connection.onNotification("nnet/dataProgress", (params: DataProgressParams) => events.push(params));
    client.connection.onNotification("nnet/progress", (params: ProgressParams) => events.push(params));
    const done = new Promise<DoneParams>((resolveWait) => client.connection.onNotification("nnet/done", (params: DoneParams) => {
      if (params.uri === uri) resolveWait(params);
    }));
    await client.connection.sendRequest("nnet/train", { uri });
    expect((await done).status).toBe("completed");
    const loading = events.filter((e): e is DataProgressParams => "total" in e);
    expect(loading.length).toBeGreaterThan(2);
    expect(events.findIndex((e) => "metrics" in e)).toBe(loading.length);
    expect(loading[loading.length - 1]).toMatchObject({ uri, network: "n", done: statSync(join(dir, "big.csv")).size, total: statSync(join(dir, "big.csv")).size });
  });
});
