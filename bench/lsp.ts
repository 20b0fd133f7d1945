/**
 * Language server latency over the real protocol (node out/server.js --stdio):
 * didChange → publishDiagnostics, hover and completion, on 10-, 100- and
 * 1,000-layer files. The server's debounce is set to 0 here, so the figures
 * are the work itself; editors see it plus the debounce (150 ms by default).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection, type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";

const serverPath = join(__dirname, "..", "server.js");
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);

function network(layers: number): string {
  const lines = ["network deep {", "  input x: 4"];
  for (let i = 1; i < layers; i++) lines.push(`  layer h${i}: dense 16 tanh`);
  lines.push("  layer out: dense 3 softmax", "  loss cross_entropy", "  data iris", "}", "");
  return lines.join("\n");
}

function position(text: string, offset: number) {
  const before = text.slice(0, offset);
  return { line: before.split("\n").length - 1, character: offset - (before.lastIndexOf("\n") + 1) };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};
const summary = (values: number[]): string => `median ${percentile(values, 0.5).toFixed(2)} ms, p95 ${percentile(values, 0.95).toFixed(2)} ms`;

async function start(): Promise<{ connection: ProtocolConnection; published: (uri: string, version: number) => Promise<PublishDiagnosticsParams>; stop: () => void }> {
  const child = spawn(process.execPath, [serverPath, "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const waiting = new Map<string, (params: PublishDiagnosticsParams) => void>();
  connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
    const key = `${params.uri}@${params.version}`;
    waiting.get(key)?.(params);
    waiting.delete(key);
  });
  connection.listen();
  await connection.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { diagnosticsDebounceMs: 0 } });
  connection.sendNotification("initialized", {});
  return {
    connection,
    published: (uri, version) => new Promise((resolve) => waiting.set(`${uri}@${version}`, resolve)),
    stop: () => { connection.dispose(); child.kill(); },
  };
}

async function measure(layers: number): Promise<void> {
  const server = await start();
  const uri = `file:///bench-${layers}.nnet`;
  const text = network(layers);
  const opened = server.published(uri, 1);
  server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "nnet", version: 1, text } });
  await opened;
  const unitsAt = text.indexOf("dense 16", text.length / 2) + "dense ".length;
  const diagnostics: number[] = [];
  const hovers: number[] = [];
  const completions: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const version = round + 2;
    const digit = String((round % 8) + 1);
    const range = { start: position(text, unitsAt), end: position(text, unitsAt + 1) };
    const done = server.published(uri, version);
    const began = performance.now();
    server.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ range, text: digit }] });
    await done;
    diagnostics.push(performance.now() - began);
    const layer = text.indexOf(`layer h${1 + (round * 7) % (layers - 1)}:`) + "layer ".length;
    let t = performance.now();
    await server.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: position(text, layer) });
    hovers.push(performance.now() - t);
    t = performance.now();
    await server.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: position(text, unitsAt + 3) });
    completions.push(performance.now() - t);
  }
  console.log(`${String(layers).padStart(5)} layers  didChange→diagnostics ${summary(diagnostics)} · hover ${summary(hovers)} · completion ${summary(completions)}`);
  server.stop();
}

/** Hover latency while a job trains in the server's worker thread (ARCHITECTURE invariant 4). */
async function duringTraining(): Promise<void> {
  const server = await start();
  const uri = "file:///bench-training.nnet";
  const text = network(6).replace("data iris", "data iris\n  train { epochs 100000, batch 8 }");
  const opened = server.published(uri, 1);
  server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "nnet", version: 1, text } });
  await opened;
  let epochs = 0;
  let progressed!: () => void;
  const first = new Promise<void>((resolve) => (progressed = resolve));
  server.connection.onNotification("nnet/progress", () => { epochs++; progressed(); });
  await server.connection.sendRequest("nnet/train", { uri });
  await first;
  const hovers: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const t = performance.now();
    await server.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: position(text, text.indexOf("layer h2:") + 6) });
    hovers.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await server.connection.sendRequest("nnet/stop", { uri });
  console.log(`while training (${epochs} epochs streamed)  hover ${summary(hovers)}`);
  server.stop();
}

async function main(): Promise<void> {
  console.log(`nnet language server, ${rounds} rounds per size (debounce off; the editor default adds 150 ms)`);
  for (const layers of [10, 100, 1000]) await measure(layers);
  await duringTraining();
}

void main().then(() => process.exit(0), (failure) => {
  console.error(failure);
  process.exit(1);
});
