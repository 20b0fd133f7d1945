/**
 * Entry of out/worker.js: one job per worker thread. The host starts the
 * worker, sends one start message and reads epoch, done or failed messages;
 * with no listener left, the thread ends by itself.
 */
import { parentPort } from "node:worker_threads";
import type { StartMessage } from "./messages";
import { runJob } from "./run-job";

const port = parentPort;
if (port) {
  port.once("message", (message: StartMessage) => {
    const flag = new Int32Array(message.stop);
    runJob(message.request, {
      post: (reply) => port.postMessage(reply),
      shouldStop: () => Atomics.load(flag, 0) !== 0,
    });
  });
}
