/**
 * Entry of out/worker.js: one job per worker thread. The host starts the
 * worker, sends one start message and reads epoch, done or failed messages;
 * with no listener left, the thread ends by itself.
 */
import { parentPort } from "node:worker_threads";
import type { StartMessage, WorkerMessage } from "./messages";
import { enableRelaxedSimd } from "./kernels";
import { runJob } from "./run-job";

enableRelaxedSimd(); // before any WebAssembly is compiled

const port = parentPort;
if (port) {
  port.once("message", (message: StartMessage) => {
    const flag = new Int32Array(message.stop);
    runJob(message.request, {
      post: (reply) => port.postMessage(reply, transferables(reply)),
      shouldStop: () => Atomics.load(flag, 0) !== 0,
    });
  });
}

// Weights and moments are fresh copies made for the message: moving them avoids a second copy of a large model.
function transferables(message: WorkerMessage): ArrayBuffer[] {
  const source = message.type === "checkpoint" ? message : message.type === "done" ? message.result : undefined;
  if (!source) return [];
  const arrays: Float64Array[] = [];
  for (const layer of source.weights?.layers ?? []) arrays.push(layer.W, layer.b);
  for (const moments of source.optimizer?.layers ?? []) {
    arrays.push(moments.first.W, moments.first.b);
    if (moments.second) arrays.push(moments.second.W, moments.second.b);
  }
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
