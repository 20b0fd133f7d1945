// The TensorFlow.js peer's own process (line-peer.ts): JSON lines on stdin and stdout,
//   {"op": "load", "id", "backend", "widths", "activations", "loss", "lr", "batch", "examples", "x", "y"} -> {"ok": true}
//   {"op": "run", "id", "epochs"} -> {"wall": s, "cpu": s}
// x and y name raw little-endian float64 files, one example per row.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Matrix } from "../../server/src/engine/index";
import type { Runner } from "../timing";
import type { TfBackend, TfWork } from "./tfjs";
import { tfRunner } from "./tfjs-runner";

type Load = TfWork & { op: "load"; id: number; backend: TfBackend; examples: number; x: string; y: string };

interface Run {
  op: "run";
  id: number;
  epochs: number;
}

// TensorFlow.js greets Node on the console: standard output carries only replies
console.log = console.error;
console.warn = console.error;
console.info = console.error;

const matrix = (path: string, rows: number, cols: number): Matrix => ({ rows, cols, data: new Float64Array(new Uint8Array(readFileSync(path)).buffer) });

const runners = new Map<number, Runner>();

async function answer(request: Load | Run): Promise<unknown> {
  if (request.op === "run") return runners.get(request.id)!(request.epochs);
  const { widths, examples } = request;
  const x = matrix(request.x, examples, widths[0]), y = matrix(request.y, examples, widths[widths.length - 1]);
  runners.set(request.id, await tfRunner(request.backend, { ...request, x, y }));
  return { ok: true };
}

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on("line", (line) => {
  queue = queue.then(async () => {
    process.stdout.write(`${JSON.stringify(await answer(JSON.parse(line) as Load | Run))}\n`);
  });
});
