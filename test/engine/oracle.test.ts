/**
 * An independent oracle: the same weights and batch through TensorFlow.js
 * autodiff (cpu backend, float32), every gradient compared with the engine's.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-backend-cpu";
import { beforeAll, describe, expect, it } from "vitest";
import {
  Rng, computeGradients, type ActivationSpec, type LossName, type Matrix, type Network, type NetworkSpec,
} from "../../server/src/engine/index";
import { batchFor, build, chainSpec, dagSpec } from "./helpers";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function tensorOf(m: Matrix): tf.Tensor2D {
  return tf.tensor2d(Array.from(m.data), [m.rows, m.cols], "float32");
}

function activate(spec: ActivationSpec, z: tf.Tensor2D): tf.Tensor2D {
  switch (spec.name) {
    case "identity": return z;
    case "sigmoid": return tf.sigmoid(z);
    case "tanh": return tf.tanh(z);
    case "relu": return tf.relu(z);
    case "leaky_relu": return tf.leakyRelu(z, spec.alpha ?? 0.01);
    // elu(z) = max(z, 0) + α(e^min(z, 0) − 1)
    case "elu": return tf.add(tf.relu(z), tf.mul(spec.alpha ?? 1, tf.sub(tf.exp(tf.neg(tf.relu(tf.neg(z)))), 1)));
    case "softplus": return tf.softplus(z);
    case "softmax": return tf.transpose(tf.softmax(tf.transpose(z)));
    case "gelu": return tf.mul(z, tf.mul(0.5, tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2)))));
    case "silu": return tf.mul(z, tf.sigmoid(z));
    case "selu": return tf.selu(z);
  }
}

function lossOf(loss: LossName, a: tf.Tensor2D, y: tf.Tensor2D, m: number): tf.Scalar {
  if (loss === "mse") return tf.div(tf.mul(0.5, tf.sum(tf.square(tf.sub(a, y)))), m);
  if (loss === "mae") return tf.div(tf.sum(tf.abs(tf.sub(a, y))), m);
  if (loss === "huber") {
    // δ = 1: ½ min(d, 1)² + (d − min(d, 1)) is ½d² inside and d − ½ beyond
    const d = tf.abs(tf.sub(a, y));
    const inner = tf.minimum(d, 1);
    return tf.div(tf.sum(tf.add(tf.mul(0.5, tf.square(inner)), tf.sub(d, inner))), m);
  }
  if (loss === "cross_entropy") return tf.div(tf.neg(tf.sum(tf.mul(y, tf.log(a)))), m);
  const terms = tf.add(tf.mul(y, tf.log(a)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, a))));
  return tf.div(tf.neg(tf.sum(terms)), m);
}

// The network written out again with TF.js ops, from the spec, not from the engine's code.
function tfLoss(spec: NetworkSpec, vars: Map<string, tf.Variable>, x: tf.Tensor2D, y: tf.Tensor2D, m: number): tf.Scalar {
  const values = new Map<string, tf.Tensor2D>([[spec.input.name, x]]);
  let last = x;
  for (const layer of spec.layers) {
    if (layer.kind === "dense") {
      const z = tf.add(tf.matMul(vars.get(`${layer.name}.W`) as tf.Variable<tf.Rank.R2>, values.get(layer.from)!), vars.get(`${layer.name}.b`)!) as tf.Tensor2D;
      last = activate(layer.activation, z);
    } else if (layer.kind === "dropout") {
      // computeGradients runs with dropout off (evaluation): the identity
      last = values.get(layer.from)!;
    } else if (layer.kind === "add") {
      last = tf.addN(layer.from.map((f) => values.get(f)!)) as tf.Tensor2D;
    } else {
      last = tf.concat(layer.from.map((f) => values.get(f)!), 0) as tf.Tensor2D;
    }
    values.set(layer.name, last);
  }
  return lossOf(spec.loss, last, y, m);
}

// Rounds the engine's weights and batch to float32 so both systems start from identical numbers.
// Biases get small seeded values so that BP3 is tested on non-zero b.
function toFloat32(network: Network, x: Matrix, y: Matrix): void {
  const rng = new Rng(5);
  for (const d of network.dense) {
    d.weights.data.set(Float32Array.from(d.weights.data));
    d.bias.set(Float32Array.from(d.bias, () => rng.uniform(-0.1, 0.1)));
  }
  x.data.set(Float32Array.from(x.data));
  y.data.set(Float32Array.from(y.data));
}

let variables = 0;

function compare(spec: NetworkSpec): number {
  const network = build(spec, 17);
  const { x, y } = batchFor(network, 6, 23);
  toFloat32(network, x, y);
  computeGradients(network, x, y);
  const vars = new Map<string, tf.Variable>();
  for (const d of network.dense) {
    vars.set(`${d.name}.W`, tf.variable(tensorOf(d.weights), true, `v${++variables}`));
    vars.set(`${d.name}.b`, tf.variable(tf.tensor2d(Array.from(d.bias), [d.units, 1]), true, `v${++variables}`));
  }
  const { grads } = tf.variableGrads(() => tfLoss(spec, vars, tensorOf(x), tensorOf(y), x.cols), [...vars.values()]);
  let worst = 0;
  for (const d of network.dense) {
    const pairs: [Float64Array, tf.Tensor][] = [[d.weightGradient.data, grads[vars.get(`${d.name}.W`)!.name]], [d.biasGradient, grads[vars.get(`${d.name}.b`)!.name]]];
    for (const [engine, oracle] of pairs) {
      const expected = oracle.dataSync();
      expect(expected.length).toBe(engine.length);
      engine.forEach((g, i) => {
        const error = Math.abs(g - expected[i]);
        worst = Math.max(worst, error / (1e-4 + Math.abs(g)));
        expect(error, `${spec.name} ${d.name} entry ${i}: engine ${g}, tfjs ${expected[i]}`).toBeLessThan(2e-5 + 2e-4 * Math.abs(g));
      });
    }
  }
  tf.dispose([...vars.values()]);
  return worst;
}

const hidden: ActivationSpec[] = [
  { name: "sigmoid" }, { name: "tanh" }, { name: "relu" }, { name: "leaky_relu", alpha: 0.2 }, { name: "elu", alpha: 0.5 }, { name: "softplus" }, { name: "identity" },
  { name: "gelu" }, { name: "silu" }, { name: "selu" },
];

describe("engine gradients equal TensorFlow.js autodiff (float32 tolerance)", () => {
  for (const h of hidden) {
    it(`chain ${h.name}: softmax+ce, sigmoid+bce, identity+mse, tanh+mse, unfused bce and ce`, () => {
      compare(chainSpec([4, 5, 3, 3], h, { name: "softmax" }, "cross_entropy"));
      compare(chainSpec([4, 5, 3, 2], h, { name: "sigmoid" }, "binary_cross_entropy"));
      compare(chainSpec([4, 5, 3, 2], h, { name: "identity" }, "mse"));
      compare(chainSpec([4, 5, 3, 2], h, { name: "tanh" }, "mse"));
      compare(chainSpec([4, 5, 3, 3], h, { name: "softmax" }, "binary_cross_entropy"));
      compare(chainSpec([4, 5, 3, 3], h, { name: "sigmoid" }, "cross_entropy"));
      compare(chainSpec([4, 5, 3, 3], h, { name: "softmax" }, "mse"));
    });
  }
  it("mae and huber outputs on chains and DAGs", () => {
    for (const h of hidden) {
      compare(chainSpec([4, 5, 3, 2], h, { name: "identity" }, "mae"));
      compare(chainSpec([4, 5, 3, 2], h, { name: "tanh" }, "huber"));
      compare(dagSpec(h, { name: "identity" }, "huber", 2));
    }
  });
  it("DAGs with add and concat, for each loss", () => {
    for (const h of hidden) {
      compare(dagSpec(h, { name: "softmax" }, "cross_entropy", 3));
      compare(dagSpec(h, { name: "sigmoid" }, "binary_cross_entropy", 2));
      compare(dagSpec(h, { name: "identity" }, "mse", 2));
    }
  });
  it("notices a transposed weight gradient", () => {
    const spec = chainSpec([3, 3, 2], { name: "tanh" }, { name: "identity" }, "mse");
    const network = build(spec, 17);
    const { x, y } = batchFor(network, 6, 23);
    computeGradients(network, x, y);
    const g = network.dense[0].weightGradient;
    const transposed = Array.from({ length: 9 }, (_, i) => g.data[(i % 3) * 3 + Math.floor(i / 3)]);
    expect(transposed.some((v, i) => Math.abs(v - g.data[i]) > 1e-3)).toBe(true);
  });
});
