/**
 * A run belongs to the text it started from: edits during the run change
 * neither the run nor the new text's diagnostics. And data from a file never
 * reaches a hover as markup.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hover, MarkupContent } from "vscode-languageserver-protocol";
import type { DoneParams, JobStarted, ProgressParams } from "../../server/src/protocol/index";
import { open, positionOf, serverPath, startClient, type TestClient } from "./client";

const original = `network spiral {
  input x: 2
  layer h1: dense 16 tanh
  layer h2: dense 16 tanh
  layer out: dense 1 sigmoid
  loss binary_cross_entropy
  data spiral(samples: 200, noise: 0.1)
  train { epochs 80, batch 16 }
}
`;
// renamed layers, other sizes, fewer epochs and a typo: nothing of it may leak into the running job
const edited = original.replace("layer h1: dense 16 tanh", "layer first: dense 8 tahn").replace("h2: dense 16 tanh", "h2: dense 16 tanh from first").replace("epochs 80", "epochs 5");

describe.skipIf(!existsSync(serverPath))("hostile edits and data", () => {
  let client: TestClient;
  const dir = mkdtempSync(join(tmpdir(), "nnet-lsp-hostile-"));
  beforeAll(async () => {
    client = await startClient({ workspaceFolders: [dir] });
  });
  afterAll(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a run on the text it started from while the document is edited, and the new text's diagnostics are its own", async () => {
    const uri = "file:///edited-during-run.nnet";
    open(client, uri, original);
    await client.diagnostics(uri);
    const progress: ProgressParams[] = [];
    let firstProgress!: () => void;
    const progressed = new Promise<void>((resolveWait) => (firstProgress = resolveWait));
    client.connection.onNotification("nnet/progress", (params: ProgressParams) => {
      if (params.uri !== uri) return;
      progress.push(params);
      firstProgress();
    });
    const done = new Promise<DoneParams>((resolveWait) => client.connection.onNotification("nnet/done", (params: DoneParams) => {
      if (params.uri === uri) resolveWait(params);
    }));
    const started = await client.connection.sendRequest<JobStarted>("nnet/train", { uri });
    expect(started.epochs).toBe(80);
    await progressed;
    client.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }],
    });

    const finished = await done;
    expect(finished.status).toBe("completed");
    expect(progress).toHaveLength(80);
    for (const params of progress) expect(params.metrics.layers.map((layer) => layer.layer)).toEqual(["h1", "h2", "out"]);

    const latest = await client.diagnostics(uri, (p) => p.version === 2 && p.diagnostics.some((d) => d.code === "nnet/unknown-activation"));
    expect(latest.diagnostics.map((d) => d.code)).toEqual(["nnet/unknown-activation"]);
    const hover = await client.connection.sendRequest<Hover | null>("textDocument/hover", {
      textDocument: { uri }, position: positionOf(edited, edited.indexOf("h2:") + 1),
    });
    // the run measured another network, so the edited text shows no gradient norms of it
    expect((hover!.contents as MarkupContent).value).not.toContain("Last run");
  });

  it("shows a CSV's column names and class labels as text, never as markup", async () => {
    mkdirSync(join(dir, "data"));
    writeFileSync(join(dir, "data", "evil.csv"),
      'a,b,"<script>alert(1)</script>"\n1,2,<img src=x onerror=alert(1)>\n3,4,<b>dog</b>\n5,6,<img src=x onerror=alert(1)>\n');
    const text = `network evil {
  input x: 2
  layer out: dense 2 softmax
  loss cross_entropy
  data csv("data/evil.csv", target: "<script>alert(1)</script>")
}
`;
    const uri = pathToFileURL(join(dir, "evil.nnet")).href;
    open(client, uri, text);
    const published = await client.diagnostics(uri);
    expect(published.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
    const hover = await client.connection.sendRequest<Hover | null>("textDocument/hover", {
      textDocument: { uri }, position: positionOf(text, text.indexOf("csv(") + 1),
    });
    const markdown = (hover!.contents as MarkupContent).value;
    expect(markdown).toContain("dog");
    // CommonMark shows a backslash-escaped `<` as the character itself
    expect(markdown).toContain("\\<img src=x onerror=alert(1)\\>");
    expect(markdown).not.toMatch(/(?<!\\)<(script|img|b)\b/);
  });
});
