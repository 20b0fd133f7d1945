/**
 * An independent recomputation of a network's gradients from `nnet gradcheck
 * --json`: the forward pass written again with TensorFlow.js ops (float32,
 * CPU backend) and differentiated by its autodiff, never by our engine.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
// tfjs-core alone ships no gradient functions; the union package registers them like this
import "@tensorflow/tfjs-core/dist/register_all_gradients";

export interface GradcheckJson {
  network: string;
  loss: "mse" | "binary_cross_entropy" | "cross_entropy" | "mae" | "huber";
  huberDelta?: number;
  layers: { name: string; kind: "input" | "dense" | "add" | "concat" | "dropout"; units: number; activation?: string; alpha?: number; rate?: number; from: string[] }[];
  /** per dropout layer, the mask the check held fixed: examples × units */
  masks?: Record<string, number[][]>;
  parameters: { layer: string; param: "W" | "b"; rows: number; cols: number; values: number[] }[];
  batch: { x: number[][]; y: number[][] };
  analytic: { layer: string; param: "W" | "b"; values: number[] }[];
  numeric: { layer: string; param: "W" | "b"; values: (number | null)[] }[];
  report: { layer: string; param: "W" | "b"; maxRelError: number; passed: boolean }[];
  passed: boolean;
}

function activate(z: tf.Tensor2D, name: string | undefined, alpha: number | undefined): tf.Tensor2D {
  switch (name ?? "identity") {
    case "identity": return z;
    case "sigmoid": return tf.sigmoid(z);
    case "tanh": return tf.tanh(z);
    case "relu": return tf.relu(z);
    case "leaky_relu": return tf.leakyRelu(z, alpha ?? 0.01);
    case "elu": return tf.where(tf.greater(z, 0), z, tf.mul(alpha ?? 1, tf.sub(tf.exp(z), 1))) as tf.Tensor2D;
    case "softplus": return tf.softplus(z);
    case "softmax": return tf.softmax(z);
    case "gelu": return tf.mul(z, tf.mul(0.5, tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2))))) as tf.Tensor2D;
    case "silu": return tf.mul(z, tf.sigmoid(z)) as tf.Tensor2D;
    case "selu": return tf.selu(z);
    default: throw new Error(`unknown activation ${name}`);
  }
}

// examples are rows here: Z = A Wᵀ + b
function loss(json: GradcheckJson, params: Map<string, tf.Tensor>): tf.Scalar {
  const values = new Map<string, tf.Tensor2D>();
  let last: tf.Tensor2D | undefined;
  let lastZ: tf.Tensor2D | undefined;
  for (const layer of json.layers) {
    if (layer.kind === "input") last = tf.tensor2d(json.batch.x);
    else if (layer.kind === "dense") {
      const a = values.get(layer.from[0])!;
      lastZ = tf.add(tf.matMul(a, params.get(`${layer.name}.W`)! as tf.Tensor2D, false, true), params.get(`${layer.name}.b`)!) as tf.Tensor2D;
      last = activate(lastZ, layer.activation, layer.alpha);
    } else if (layer.kind === "dropout") {
      last = tf.mul(values.get(layer.from[0])!, tf.tensor2d(json.masks![layer.name]!)) as tf.Tensor2D;
      lastZ = undefined;
    } else if (layer.kind === "add") {
      last = layer.from.map((name) => values.get(name)!).reduce((p, q) => tf.add(p, q));
      lastZ = undefined;
    } else {
      last = tf.concat(layer.from.map((name) => values.get(name)!), 1);
      lastZ = undefined;
    }
    values.set(layer.name, last);
  }
  const y = tf.tensor2d(json.batch.y);
  const m = json.batch.x.length;
  const output = json.layers[json.layers.length - 1];
  if (json.loss === "mse") return tf.div(tf.mul(0.5, tf.sum(tf.square(tf.sub(last!, y)))), m) as tf.Scalar;
  if (json.loss === "mae") return tf.div(tf.sum(tf.abs(tf.sub(last!, y))), m) as tf.Scalar;
  if (json.loss === "huber") {
    // ½ min(d, δ)² + δ (d − min(d, δ)): ½d² inside, δ(d − ½δ) beyond
    const delta = json.huberDelta ?? 1;
    const d = tf.abs(tf.sub(last!, y));
    const inner = tf.minimum(d, delta);
    return tf.div(tf.sum(tf.add(tf.mul(0.5, tf.square(inner)), tf.mul(delta, tf.sub(d, inner)))), m) as tf.Scalar;
  }
  if (json.loss === "cross_entropy") {
    const logP = output.activation === "softmax" && lastZ ? tf.logSoftmax(lastZ) : tf.log(last!);
    return tf.div(tf.neg(tf.sum(tf.mul(y, logP))), m) as tf.Scalar;
  }
  const p = last!;
  return tf.div(tf.neg(tf.sum(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))))), m) as tf.Scalar;
}

/** ∂C/∂θ for every parameter of the JSON, keyed `layer.W` / `layer.b`, row-major. */
export async function independentGradients(json: GradcheckJson): Promise<Map<string, number[]>> {
  await tf.setBackend("cpu");
  const keys = json.parameters.map((p) => `${p.layer}.${p.param}`);
  const tensors = json.parameters.map((p) => (p.param === "W" ? tf.tensor2d(p.values, [p.rows, p.cols]) : tf.tensor1d(p.values)));
  const gradients = tf.grads((...xs: tf.Tensor[]) => loss(json, new Map(keys.map((key, i) => [key, xs[i]]))))(tensors);
  const result = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) result.set(keys[i], Array.from(await gradients[i].data()));
  return result;
}
