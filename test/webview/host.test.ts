/**
 * The panel's extension side against a recording stand-in for the vscode
 * API: handshake, state mirror, validation of what the page posts, exports,
 * serializer and disposal.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { messageLimits, type DoneParams, type ProgressParams } from "../../server/src/protocol";
import { epochMetrics, summary } from "./fixtures";
import * as fake from "./fake-vscode";

vi.mock("vscode", () => import("./fake-vscode"));

interface Panel {
  startRun(run: { jobId: string; uri: string; network: string; kind: "train"; epochs: number; summary: typeof summary }): void;
  progress(params: ProgressParams): void;
  done(params: DoneParams): void;
  dispose(): void;
}
interface HostModule {
  TrainingPanel: { createOrShow(context: unknown, deps: unknown): Panel; currentPanel: Panel | undefined; viewType: string };
  registerTrainingPanelSerializer(context: unknown, deps: unknown): { dispose(): void };
}

// The host lives in the client project, which this test project does not reference for types.
const hostPath = "../../client/src/panel/index";
const load = () => import(/* @vite-ignore */ hostPath) as Promise<HostModule>;

const context = { extensionUri: fake.Uri.file("/ext"), subscriptions: [] as { dispose(): void }[] };
const uri = "file:///w/nets/circle.nnet";
const run = { jobId: "job-1", uri, network: "circle", kind: "train" as const, epochs: 3, summary };
const progress = (epoch: number, jobId = "job-1"): ProgressParams => ({
  jobId, uri, network: "circle", kind: "train", epochs: 3, metrics: epochMetrics(epoch),
});
const png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

function setup() {
  const logs: string[] = [];
  const reveals: unknown[] = [];
  const deps = { log: (m: string) => logs.push(m), revealLayer: (t: unknown) => void reveals.push(t) };
  return { logs, reveals, deps };
}

const page = () => fake.recorded.panels.at(-1) as fake.FakePanel;
const fromPage = async (message: unknown) => {
  page().webview.messages.fire(message);
  await new Promise((resolve) => setTimeout(resolve, 0));
};

describe("TrainingPanel host", () => {
  beforeEach(async () => {
    (await load()).TrainingPanel.currentPanel?.dispose();
    fake.recorded.reset();
  });

  it("serves a page whose only script carries a fresh nonce, under a strict CSP", async () => {
    const { TrainingPanel } = await load();
    const { deps } = setup();
    TrainingPanel.createOrShow(context, deps);
    const html = page().webview.html;
    const nonce = /script-src 'nonce-([^']+)'/.exec(html)?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`<script nonce="${nonce}" src="https://fake.vscode-cdn.net/ext/out/webview/main.js">`);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toContain("unsafe-inline");
    expect(html).not.toContain("unsafe-eval");
    expect(page().options).toMatchObject({ enableScripts: true, localResourceRoots: [fake.Uri.file("/ext/out/webview")] });
    TrainingPanel.currentPanel?.dispose();
    TrainingPanel.createOrShow(context, deps);
    expect(/script-src 'nonce-([^']+)'/.exec(page().webview.html)?.[1]).not.toBe(nonce);
  });

  it("holds messages until the page is ready, then restores it in one message", async () => {
    const { TrainingPanel } = await load();
    const panel = TrainingPanel.createOrShow(context, setup().deps);
    panel.startRun(run);
    panel.progress(progress(1));
    panel.progress(progress(2));
    expect(page().webview.posted).toEqual([]);
    await fromPage({ type: "ready" });
    expect(page().webview.posted).toHaveLength(1);
    expect(page().webview.posted[0]).toMatchObject({
      type: "restore",
      state: { uri, network: "circle", epochs: 3, summary, history: [epochMetrics(1), epochMetrics(2)] },
    });
    panel.progress(progress(3));
    panel.progress(progress(4, "another-job"));
    expect(page().webview.posted.slice(1)).toEqual([{ type: "progress", metrics: epochMetrics(3) }]);
    // the page reloads (hidden and shown): it says ready again and gets everything back
    await fromPage({ type: "ready" });
    expect(page().webview.posted.at(-1)).toMatchObject({ type: "restore", state: { history: [epochMetrics(1), epochMetrics(2), epochMetrics(3)] } });
  });

  it("drops and logs what the page posts when it is unknown or malformed", async () => {
    const { TrainingPanel } = await load();
    const { deps, logs, reveals } = setup();
    TrainingPanel.createOrShow(context, deps);
    await fromPage({ type: "runShell", command: "rm -rf /" });
    await fromPage({ type: "revealLayer", layer: 7 });
    await fromPage("x".repeat(100_000));
    expect(logs).toHaveLength(3);
    expect(logs.every((line) => line.startsWith("Training panel: dropped a malformed message"))).toBe(true);
    expect(logs[2].length).toBeLessThan(300);
    expect(reveals).toEqual([]);
  });

  it("reveals a layer through the extension's callback, with the run's document", async () => {
    const { TrainingPanel } = await load();
    const { deps, reveals } = setup();
    TrainingPanel.createOrShow(context, deps).startRun(run);
    await fromPage({ type: "revealLayer", layer: "h2" });
    expect(reveals).toEqual([{ layer: "h2", network: "circle", uri }]);
  });

  it("passes the end-of-run card's Save and Export to the extension with the panel's run, and drops an unknown export target", async () => {
    const { TrainingPanel } = await load();
    const { deps, logs } = setup();
    const asked: unknown[] = [];
    const panel = TrainingPanel.createOrShow(context, {
      ...deps, saveModel: (r: unknown) => void asked.push(["save", r]), exportModel: (r: unknown, to: string) => void asked.push([to, r]),
    });
    panel.startRun(run);
    await fromPage({ type: "saveModel" });
    await fromPage({ type: "exportModel", to: "onnx" });
    await fromPage({ type: "exportModel", to: "pytorch" });
    await fromPage({ type: "exportModel", to: "../../etc" });
    const target = { uri, network: "circle" };
    expect(asked).toEqual([["save", target], ["onnx", target], ["pytorch", target]]);
    expect(logs).toEqual([expect.stringMatching(/^Training panel: dropped a malformed message/)]);
  });

  it("saves CSV and PNG exports where the user chooses, next to the document by default", async () => {
    const { TrainingPanel } = await load();
    const { deps, logs } = setup();
    TrainingPanel.createOrShow(context, deps).startRun(run);
    fake.recorded.saveAnswer = fake.Uri.file("/w/out/history.csv");
    await fromPage({ type: "exportCsv", csv: "epoch,loss\r\n1,0.5\r\n" });
    expect(fake.recorded.saveDialogs[0].defaultUri?.toString()).toBe("file:///w/nets/circle-history.csv");
    expect(fake.recorded.saveDialogs[0].filters).toEqual({ CSV: ["csv"] });
    expect(new TextDecoder().decode(fake.recorded.written[0].bytes)).toBe("epoch,loss\r\n1,0.5\r\n");

    fake.recorded.saveAnswer = fake.Uri.file("/w/out/loss.png");
    await fromPage({ type: "exportPng", name: "loss", dataUrl: png });
    expect(fake.recorded.saveDialogs[1].defaultUri?.toString()).toBe("file:///w/nets/circle-loss.png");
    expect([...fake.recorded.written[1].bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);

    // valid base64 that is not a PNG is refused before any dialog
    await fromPage({ type: "exportPng", name: "loss", dataUrl: "data:image/png;base64,R0lGODlhAQABAAAAACw=" });
    expect(fake.recorded.saveDialogs).toHaveLength(2);
    expect(logs.at(-1)).toContain("not a PNG");

    // a cancelled dialog writes nothing
    fake.recorded.saveAnswer = undefined;
    await fromPage({ type: "exportCsv", csv: "epoch\r\n" });
    expect(fake.recorded.written).toHaveLength(2);
  });

  it("says so when the history CSV is above the panel's bound for one message, instead of dropping it quietly", async () => {
    const { TrainingPanel } = await load();
    const { deps, logs } = setup();
    TrainingPanel.createOrShow(context, deps).startRun(run);
    fake.recorded.saveAnswer = fake.Uri.file("/w/out/history.csv");
    await fromPage({ type: "exportCsv", csv: "9".repeat(messageLimits.csv + 2 ** 19) });
    const told = "the history CSV is 64.5 MiB, above the 64 MiB the panel may send at once; nothing was saved (nnet train --json writes every epoch)";
    expect(fake.recorded.errors).toEqual([`NNet training panel: ${told}`]);
    expect(logs).toEqual([`Training panel: ${told}`]);
    expect(fake.recorded.saveDialogs).toEqual([]);
  });

  it("disposes every listener with the panel", async () => {
    const { TrainingPanel } = await load();
    const panel = TrainingPanel.createOrShow(context, setup().deps);
    const first = page();
    expect(first.webview.messages.size).toBe(1);
    expect(first.disposeEvents.size).toBe(1);
    first.dispose();
    expect(first.webview.messages.size).toBe(0);
    expect(first.disposeEvents.size).toBe(0);
    expect(TrainingPanel.currentPanel).toBeUndefined();
    panel.progress(progress(1));
    expect(first.webview.posted).toEqual([]);
    TrainingPanel.createOrShow(context, setup().deps);
    expect(fake.recorded.panels).toHaveLength(2);
  });

  it("shows the open panel instead of opening a second one", async () => {
    const { TrainingPanel } = await load();
    const a = TrainingPanel.createOrShow(context, setup().deps);
    const b = TrainingPanel.createOrShow(context, setup().deps);
    expect(a).toBe(b);
    expect(fake.recorded.panels).toHaveLength(1);
    expect(page().reveals).toBe(1);
  });

  it("restores a panel after a window reload from the state its page saved", async () => {
    const { registerTrainingPanelSerializer, TrainingPanel } = await load();
    const { deps, reveals } = setup();
    registerTrainingPanelSerializer(context, deps);
    const serializer = fake.recorded.serializers.get(TrainingPanel.viewType);
    expect(serializer).toBeDefined();
    const restored = new fake.FakePanel(TrainingPanel.viewType, {});
    fake.recorded.panels.push(restored);
    const saved = { uri, network: "circle", history: [epochMetrics(1)], status: "completed", view: { logScale: true, smoothing: 0.3 } };
    await serializer?.deserializeWebviewPanel(restored, saved);
    expect(restored.webview.html).toContain("Content-Security-Policy");
    await fromPage({ type: "ready" });
    expect(restored.webview.posted).toEqual([{ type: "restore", state: { uri, network: "circle", history: [epochMetrics(1)], status: "completed" } }]);
    // the document is known again, so a click on a layer still reaches it
    await fromPage({ type: "revealLayer", layer: "h1" });
    expect(reveals).toEqual([{ layer: "h1", network: "circle", uri }]);

    const broken = new fake.FakePanel(TrainingPanel.viewType, {});
    fake.recorded.panels.push(broken);
    await serializer?.deserializeWebviewPanel(broken, { history: "not a list" });
    await fromPage({ type: "ready" });
    expect(broken.webview.posted).toEqual([{ type: "restore", state: { history: [] } }]);
    expect(restored.disposed).toBe(true);
  });
});
