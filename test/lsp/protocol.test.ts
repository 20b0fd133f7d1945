/** The built server over stdio: diagnostics, hover, completion, an edit burst and the training requests. */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CompletionList, Hover, InlayHint, MarkupContent } from "vscode-languageserver-protocol";
import type { DoneParams, JobStarted, ProgressParams } from "../../server/src/protocol/index";
import { open, positionOf, serverPath, startClient, type TestClient } from "./client";

const valid = `network spiral {
  input x: 2
  layer h1: dense 16 tanh
  layer h2: dense 16 tanh
  layer out: dense 1 sigmoid
  loss binary_cross_entropy
  data spiral(samples: 400, noise: 0.1)
}
`;
const broken = `network broken {
  input x: 2
  layer h1: dense 16 tahn
  layer out: dense 1 sigmoid from h9
  loss binary_cross_entropy
}
`;

describe.skipIf(!existsSync(serverPath))("language server over stdio (node out/server.js --stdio)", () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client?.close();
  });

  it("publishes the checker's diagnostics for a broken file, with codes and ranges", async () => {
    open(client, "file:///broken.nnet", broken);
    const published = await client.diagnostics("file:///broken.nnet");
    const codes = published.diagnostics.map((d) => d.code);
    expect(codes).toContain("nnet/unknown-activation");
    expect(codes).toContain("nnet/unknown-layer");
    const typo = published.diagnostics.find((d) => d.code === "nnet/unknown-activation")!;
    expect(typo.range.start).toEqual(positionOf(broken, broken.indexOf("tahn")));
    expect(typo.message).toContain("tanh");
  });

  it("publishes no errors for a valid file", async () => {
    open(client, "file:///valid.nnet", valid);
    const published = await client.diagnostics("file:///valid.nnet");
    expect(published.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
  });

  it("answers a hover on a layer with its BP2 equation", async () => {
    const hover = await client.connection.sendRequest<Hover | null>("textDocument/hover", {
      textDocument: { uri: "file:///valid.nnet" }, position: positionOf(valid, valid.indexOf("h1:") + 1),
    });
    const value = (hover!.contents as MarkupContent).value;
    expect(value).toContain("BP2");
    expect(value).toContain("δʰ¹ = ((Wʰ²)ᵀ δʰ²) ⊙ tanh′(zʰ¹)");
    expect(value).toContain("Wʰ¹ ∈ ℝ¹⁶ˣ²");
  });

  it("answers a request whose position no longer exists (a stale version) without an error", async () => {
    const hover = await client.connection.sendRequest<Hover | null>("textDocument/hover", {
      textDocument: { uri: "file:///valid.nnet" }, position: { line: 999, character: 40 },
    });
    expect(hover).toBeNull();
    const list = await client.connection.sendRequest<CompletionList | null>("textDocument/completion", {
      textDocument: { uri: "file:///valid.nnet" }, position: { line: 999, character: 40 },
    });
    expect(list === null || Array.isArray(list.items)).toBe(true);
  });

  it("completes losses after `loss`", async () => {
    const list = await client.connection.sendRequest<CompletionList>("textDocument/completion", {
      textDocument: { uri: "file:///valid.nnet" }, position: positionOf(valid, valid.indexOf("binary_cross_entropy")),
    });
    expect(list.items.map((item) => item.label)).toEqual(expect.arrayContaining(["mse", "binary_cross_entropy", "cross_entropy"]));
  });

  it("shows inlay hints, and none once the setting turns them off", async () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } };
    const hints = await client.connection.sendRequest<InlayHint[]>("textDocument/inlayHint", { textDocument: { uri: "file:///valid.nnet" }, range });
    expect(hints.map((hint) => hint.label)).toContain("48 params");
    client.settings.inlayHints.enabled = false;
    client.connection.sendNotification("workspace/didChangeConfiguration", { settings: {} });
    const none = await client.connection.sendRequest<InlayHint[]>("textDocument/inlayHint", { textDocument: { uri: "file:///valid.nnet" }, range });
    expect(none).toEqual([]);
    client.settings.inlayHints.enabled = true;
    client.connection.sendNotification("workspace/didChangeConfiguration", { settings: {} });
  });

  it("absorbs a burst of 50 incremental edits and publishes the last version's diagnostics", async () => {
    const uri = "file:///burst.nnet";
    let text = valid;
    open(client, uri, text);
    await client.diagnostics(uri);
    const before = client.published.filter((p) => p.uri === uri).length;
    const at = text.indexOf("tanh\n  layer h2") + 4;
    for (let version = 2; version <= 51; version++) {
      const position = positionOf(text, at + version - 2);
      text = text.slice(0, at + version - 2) + "x" + text.slice(at + version - 2);
      client.connection.sendNotification("textDocument/didChange", {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: position, end: position }, text: "x" }],
      });
    }
    const last = await client.diagnostics(uri, (p) => p.version === 51);
    const unknown = last.diagnostics.find((d) => d.code === "nnet/unknown-activation");
    expect(unknown?.message).toContain(`tanh${"x".repeat(50)}`);
    // one more edit as a barrier: the server publishes in order, so anything still due for the burst comes before it
    const end = positionOf(text, text.length);
    client.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: 52 }, contentChanges: [{ range: { start: end, end }, text: "\n" }] });
    text += "\n";
    await client.diagnostics(uri, (p) => p.version === 52);
    const after = client.published.filter((p) => p.uri === uri).slice(before);
    expect(after.length).toBeLessThan(10);
    expect(after.map((p) => p.version).slice(-2)).toEqual([51, 52]);
    const hover = await client.connection.sendRequest<Hover | null>("textDocument/hover", {
      textDocument: { uri }, position: positionOf(text, text.indexOf("h2:") + 1),
    });
    expect((hover!.contents as MarkupContent).value).toContain("h2");
  });

  it("trains over nnet/train, answers hovers while it runs, then shows the run in hovers and inlay hints", async () => {
    const uri = "file:///train.nnet";
    // more epochs than the test will wait for: it is stopped once the hovers have been answered
    const text = valid.replace("data spiral(samples: 400, noise: 0.1)", "data spiral(samples: 120, noise: 0.1)\n  train { epochs 100000, batch 16 }");
    open(client, uri, text);
    await client.diagnostics(uri);
    const progress: ProgressParams[] = [];
    let firstProgress!: () => void;
    const progressed = new Promise<void>((resolveWait) => (firstProgress = resolveWait));
    const done = new Promise<DoneParams>((resolveWait) => client.connection.onNotification("nnet/done", (params: DoneParams) => {
      if (params.uri === uri) resolveWait(params);
    }));
    client.connection.onNotification("nnet/progress", (params: ProgressParams) => {
      progress.push(params);
      firstProgress();
    });
    const started = await client.connection.sendRequest<JobStarted>("nnet/train", { uri });
    expect(started).toMatchObject({ network: "spiral", epochs: 100000 });
    await expect(client.connection.sendRequest("nnet/train", { uri })).rejects.toThrow(/already running/);
    await progressed;
    for (let i = 0; i < 5; i++) {
      const hover = await client.connection.sendRequest<Hover | null>("textDocument/hover", {
        textDocument: { uri }, position: positionOf(text, text.indexOf("h1:") + 1),
      });
      expect((hover!.contents as MarkupContent).value).toContain("BP2");
    }
    // answered while the job still runs: it still refuses a second one
    await expect(client.connection.sendRequest("nnet/train", { uri })).rejects.toThrow(/already running/);
    await client.connection.sendRequest("nnet/stop", { uri });
    const finished = await done;
    expect(finished.status).toBe("cancelled");
    expect(finished.history?.length).toBe(progress.length);
    expect(progress.length).toBeGreaterThan(0);
    // a stopped run reports the metrics of the weights it stopped with, on all 120 rows (no validation split)
    expect(finished.report).toMatchObject({ part: "training", kind: "classes", names: ["0", "1"] });
    const confusion = finished.report?.kind === "classes" ? finished.report.report.confusion : [];
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(120);
    const hover = await client.connection.sendRequest<Hover | null>("textDocument/hover", {
      textDocument: { uri }, position: positionOf(text, text.indexOf("h1:") + 1),
    });
    expect((hover!.contents as MarkupContent).value).toMatch(/Last run[\s\S]*‖∂C\/∂Wʰ¹‖ = /);
    const range = { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } };
    const hints = await client.connection.sendRequest<InlayHint[]>("textDocument/inlayHint", { textDocument: { uri }, range });
    expect(hints.map((hint) => hint.label).join(" ")).toMatch(/(^| )∇ \d/);
    expect(hints.map((hint) => typeof hint.tooltip === "object" ? hint.tooltip.value : "").join(" ")).toContain("‖∂C/∂W‖ = ");
  });

  it("stops a job on nnet/stop", async () => {
    const uri = "file:///long.nnet";
    open(client, uri, valid.replace("data spiral(samples: 400, noise: 0.1)", "data spiral(samples: 400, noise: 0.1)\n  train { epochs 100000 }"));
    await client.diagnostics(uri);
    const done = new Promise<DoneParams>((resolveWait) => client.connection.onNotification("nnet/done", (params: DoneParams) => {
      if (params.uri === uri) resolveWait(params);
    }));
    await client.connection.sendRequest<JobStarted>("nnet/train", { uri });
    const stopped = await client.connection.sendRequest<{ stopped: number }>("nnet/stop", { uri });
    expect(stopped.stopped).toBe(1);
    expect((await done).status).toBe("cancelled");
  });

  it("carries each epoch's learning rate and stop_early's stop over the job protocol", async () => {
    const uri = "file:///stopping.nnet";
    open(client, uri, `network overfit {
  input x: 1
  layer h: dense 48 tanh
  layer out: dense 1
  loss mse
  data sine(samples: 40, noise: 0.4)
  train {
    optimizer adam(lr: 0.01)
    schedule exponential(gamma: 0.99, warmup: 2)
    stop_early(patience: 15)
    epochs 3000
    batch 8
    validation 0.3
    seed 2
  }
}
`);
    await client.diagnostics(uri);
    const done = new Promise<DoneParams>((resolveWait) => client.connection.onNotification("nnet/done", (params: DoneParams) => {
      if (params.uri === uri) resolveWait(params);
    }));
    await client.connection.sendRequest<JobStarted>("nnet/train", { uri });
    const finished = await done;
    expect(finished.status).toBe("completed");
    const stopped = finished.stopped!;
    expect(stopped).toMatchObject({ monitor: "val_loss", patience: 15, epoch: stopped.bestEpoch + 15 });
    expect(stopped.epoch).toBeLessThan(3000);
    const rates = finished.history!.map((m) => m.lr);
    expect(rates.slice(0, 4)).toEqual([0.01 / 3, 0.02 / 3, 0.01, 0.01 * 0.99]);
    expect(finished.history!.length).toBe(stopped.epoch);
  });

  it("answers nnet/train on a document the server does not have with a clear error", async () => {
    await expect(client.connection.sendRequest("nnet/train", { uri: "file:///nowhere.nnet" })).rejects.toThrow(/not open/);
  });
});
