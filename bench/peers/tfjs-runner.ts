// The TensorFlow.js peer's runners (float32), in its own process (tfjs-peer.ts):
// batch-major as it prefers; batches are cut once, before timing. Each runner
// switches to its backend before it runs.
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { dirname } from "node:path";
import type { ActivationName, Matrix } from "../../server/src/engine/index";
import { timed, type Runner } from "../timing";
import type { TfBackend, TfWork } from "./tfjs";

/** one example per row, as the data set holds them */
export type TfJob = TfWork & { x: Matrix; y: Matrix };

let wasmPathsSet = false;

async function use(backend: TfBackend): Promise<void> {
  if (!wasmPathsSet) {
    setWasmPaths(`${dirname(require.resolve("@tensorflow/tfjs-backend-wasm"))}/`);
    wasmPathsSet = true;
  }
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
}

export async function tfRunner(backend: TfBackend, w: TfJob): Promise<Runner> {
  await use(backend);
  const n = w.x.rows;
  const rows = (m: Matrix) => tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols]);
  const x = rows(w.x);
  const y = rows(w.y);
  const batches: [tf.Tensor2D, tf.Tensor2D][] = [];
  for (let s = 0; s < n; s += w.batch) {
    const size = Math.min(w.batch, n - s);
    batches.push([x.slice([s, 0], [size, -1]) as tf.Tensor2D, y.slice([s, 0], [size, -1]) as tf.Tensor2D]);
  }
  const vars = w.widths.slice(1).map((units, l) => {
    const fanIn = w.widths[l];
    const limit = Math.sqrt(6 / (fanIn + units));
    return [tf.variable(tf.randomUniform([fanIn, units], -limit, limit)), tf.variable(tf.zeros([units]))] as const;
  });
  const optimizer = tf.train.sgd(w.lr);
  const act = (name: ActivationName, z: tf.Tensor2D): tf.Tensor2D =>
    name === "relu" ? tf.relu(z) : name === "sigmoid" ? tf.sigmoid(z) : name === "tanh" ? tf.tanh(z) : z;
  const lossOf = (bx: tf.Tensor2D, by: tf.Tensor2D): tf.Scalar => {
    let a = bx;
    vars.forEach(([W, b], l) => {
      const z = tf.add(tf.matMul(a, W), b) as tf.Tensor2D;
      a = l === vars.length - 1 && w.loss === "cross_entropy" ? z : act(w.activations[l], z);
    });
    if (w.loss === "cross_entropy") return tf.losses.softmaxCrossEntropy(by, a) as tf.Scalar;
    return tf.mul(0.5 / bx.shape[0], tf.sum(tf.squaredDifference(a, by)));
  };
  return async (epochs) => {
    await use(backend);
    return timed(() => {
      for (let e = 0; e < epochs; e++) for (const [bx, by] of batches) optimizer.minimize(() => lossOf(bx, by));
      vars[0][0].dataSync();
    });
  };
}
