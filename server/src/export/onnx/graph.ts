/**
 * The inference graph of a trained model as an ONNX ModelProto (opset 17,
 * IR 8): standardisation, then each layer in topological order.
 */
import { onnx } from "onnx-proto";
import { version } from "../../../../package.json";
import { seluAlpha, seluScale, type ActivationSpec, type DenseSpec, type LayerSpec } from "../../engine/index";
import type { TrainedModel } from "../../model/index";
import { ExportError } from "../errors";
import { normalCdf } from "./normal-cdf";

export type OnnxDtype = "float32" | "float64";

export const onnxOpset = 17;
export const onnxIrVersion = 8;

type Node = onnx.INodeProto;
type Tensor = onnx.ITensorProto;
const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

const floatAttribute = (name: string, f: number): onnx.IAttributeProto => ({ name, type: AttributeType.FLOAT, f });
const intAttribute = (name: string, i: number): onnx.IAttributeProto => ({ name, type: AttributeType.INT, i });

class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  private readonly constants = new Set<string>();

  constructor(readonly dtype: OnnxDtype) {}

  node(opType: string, inputs: string[], output: string, attribute: onnx.IAttributeProto[] = []): string {
    this.nodes.push({ opType, name: `${output}/${opType}`, input: inputs, output: [output], attribute });
    return output;
  }

  tensor(name: string, dims: number[], values: ArrayLike<number>): string {
    // raw_data is little-endian whatever the host's order
    const width = this.dtype === "float32" ? 4 : 8;
    const view = new DataView(new ArrayBuffer(values.length * width));
    for (let i = 0; i < values.length; i++) {
      if (width === 8) view.setFloat64(i * 8, values[i], true);
      else if (Number.isFinite(Math.fround(values[i]))) view.setFloat32(i * 4, values[i], true);
      else throw new ExportError(`${name}[${i}] = ${values[i]} does not fit in float32 (export with --dtype float64)`);
    }
    this.initializers.push({ name, dims, dataType: this.elemType, rawData: new Uint8Array(view.buffer) });
    return name;
  }

  /** A shared scalar such as 1 or 0. */
  constant(value: number): string {
    const name = `nnet.constant.${value}`;
    if (!this.constants.has(name)) this.constants.add(this.tensor(name, [], [value]));
    return name;
  }

  get elemType(): number {
    return this.dtype === "float32" ? DataType.FLOAT : DataType.DOUBLE;
  }
}

// e^min(z,0) / (1 + e^−|z|): 1/(1 + e^−z) for z ≥ 0, eᶻ/(1 + eᶻ) below
function wideSigmoid(g: GraphBuilder, layer: string, z: string, out: string): string {
  const numerator = g.node("Exp", [g.node("Min", [z, g.constant(0)], `${layer}.negative`)], `${layer}.numerator`);
  const exp = g.node("Exp", [g.node("Neg", [g.node("Abs", [z], `${layer}.abs`)], `${layer}.neg`)], `${layer}.exp`);
  return g.node("Div", [numerator, g.node("Add", [exp, g.constant(1)], `${layer}.denominator`)], out);
}

/**
 * σ(z) into `out`. onnxruntime has no float64 Softplus, Elu, Selu or Erf kernels, its
 * float64 Sigmoid loses the tail (σ(−40) = 0) and attributes are float32, so
 * float64 spells sigmoid, softplus, elu, leaky_relu and gelu out in the engine's
 * own formulas.
 */
function activation(g: GraphBuilder, layer: string, spec: ActivationSpec, z: string, out: string): void {
  const wide = g.dtype === "float64";
  switch (spec.name) {
    case "identity": return;
    case "sigmoid": {
      if (!wide) { g.node("Sigmoid", [z], out); return; }
      wideSigmoid(g, layer, z, out);
      return;
    }
    case "silu": {
      const sigmoid = wide ? wideSigmoid(g, layer, z, `${layer}.sigmoid`) : g.node("Sigmoid", [z], `${layer}.sigmoid`);
      g.node("Mul", [z, sigmoid], out);
      return;
    }
    case "gelu": {
      // z Φ(z), the exact form; onnxruntime's Erf is float32 only, so float64 composes Φ from basic ops
      if (wide) { g.node("Mul", [z, normalCdf(g, `${layer}.cdf`, z, `${layer}.cdf`)], out); return; }
      const erf = g.node("Erf", [g.node("Mul", [z, g.constant(Math.SQRT1_2)], `${layer}.scaled`)], `${layer}.erf`);
      const half = g.node("Mul", [z, g.constant(0.5)], `${layer}.half`);
      g.node("Mul", [half, g.node("Add", [erf, g.constant(1)], `${layer}.erf1`)], out);
      return;
    }
    case "selu": {
      if (!wide) { g.node("Selu", [z], out, [floatAttribute("alpha", seluAlpha), floatAttribute("gamma", seluScale)]); return; }
      // λ relu(z) + λα(e^min(z,0) − 1), with torch's constants in float64
      const negative = g.node("Min", [z, g.constant(0)], `${layer}.negative`);
      const expm1 = g.node("Sub", [g.node("Exp", [negative], `${layer}.exp`), g.constant(1)], `${layer}.expm1`);
      const below = g.node("Mul", [expm1, g.tensor(`${layer}.scale_alpha`, [], [seluScale * seluAlpha])], `${layer}.below`);
      const above = g.node("Mul", [g.node("Relu", [z], `${layer}.positive`), g.tensor(`${layer}.scale`, [], [seluScale])], `${layer}.above`);
      g.node("Add", [above, below], out);
      return;
    }
    case "tanh": g.node("Tanh", [z], out); return;
    case "relu": g.node("Relu", [z], out); return;
    case "softmax": g.node("Softmax", [z], out, [intAttribute("axis", -1)]); return;
    case "leaky_relu": {
      const alpha = spec.alpha ?? 0.01;
      if (wide) g.node("PRelu", [z, g.tensor(`${layer}.alpha`, [], [alpha])], out);
      else g.node("LeakyRelu", [z], out, [floatAttribute("alpha", alpha)]);
      return;
    }
    case "elu": {
      const alpha = spec.alpha ?? 1;
      if (!wide) { g.node("Elu", [z], out, [floatAttribute("alpha", alpha)]); return; }
      // relu(z) + α(e^min(z,0) − 1)
      const negative = g.node("Min", [z, g.constant(0)], `${layer}.negative`);
      const exp = g.node("Exp", [negative], `${layer}.exp`);
      const expm1 = g.node("Sub", [exp, g.constant(1)], `${layer}.expm1`);
      const scaled = g.node("Mul", [expm1, g.tensor(`${layer}.alpha`, [], [alpha])], `${layer}.scaled`);
      g.node("Add", [g.node("Relu", [z], `${layer}.positive`), scaled], out);
      return;
    }
    case "softplus": {
      if (!wide) { g.node("Softplus", [z], out); return; }
      // the engine's overflow-free form: max(z, 0) + log(1 + e^−|z|)
      const exp = g.node("Exp", [g.node("Neg", [g.node("Abs", [z], `${layer}.abs`)], `${layer}.neg`)], `${layer}.exp`);
      const log = g.node("Log", [g.node("Add", [exp, g.constant(1)], `${layer}.exp1`)], `${layer}.log`);
      g.node("Add", [g.node("Relu", [z], `${layer}.positive`), log], out);
      return;
    }
    default:
      throw new ExportError(`layer '${layer}': the activation '${(spec as { name: string }).name}' has no ONNX form`);
  }
}

function dense(g: GraphBuilder, model: TrainedModel, layer: DenseSpec, from: string): void {
  const weights = model.weights.layers.find((l) => l.name === layer.name);
  if (!weights) throw new ExportError(`layer '${layer.name}': the model has no weights for it`);
  const W = g.tensor(`${layer.name}.W`, [weights.units, weights.fanIn], weights.W);
  const b = g.tensor(`${layer.name}.b`, [weights.units], weights.b);
  const identity = layer.activation.name === "identity";
  const z = g.node("Gemm", [from, W, b], identity ? layer.name : `${layer.name}.z`, [intAttribute("transB", 1)]);
  activation(g, layer.name, layer.activation, z, layer.name);
}

function addLayer(g: GraphBuilder, name: string, inputs: string[]): void {
  let sum = inputs[0];
  for (let i = 1; i < inputs.length; i++) sum = g.node("Add", [sum, inputs[i]], i === inputs.length - 1 ? name : `${name}.sum${i}`);
  if (inputs.length === 1) g.node("Identity", [sum], name);
}

function layerNodes(g: GraphBuilder, model: TrainedModel, layer: LayerSpec, tensorOf: (name: string) => string): void {
  switch (layer.kind) {
    case "dense": return dense(g, model, layer, tensorOf(layer.from));
    case "add": return addLayer(g, layer.name, layer.from.map(tensorOf));
    case "concat": g.node("Concat", layer.from.map(tensorOf), layer.name, [intAttribute("axis", 1)]); return;
    // an inference graph: dropout is off, the identity
    case "dropout": g.node("Identity", [tensorOf(layer.from)], layer.name); return;
    default:
      throw new ExportError(`layer '${(layer as { name: string }).name}': a ${(layer as { kind: string }).kind} layer has no ONNX form`);
  }
}

function describeOutputs(model: TrainedModel): string {
  const o = model.outputs;
  if (o.kind === "values") return `values: ${o.names.join(", ")}`;
  return o.labels.length === 2 && model.network.layers[model.network.layers.length - 1].units === 1
    ? `P(${o.labels[1]}) against ${o.labels[0]}`
    : `probabilities of ${o.labels.join(", ")}`;
}

export function onnxModel(model: TrainedModel, dtype: OnnxDtype): onnx.IModelProto {
  const net = model.network;
  const g = new GraphBuilder(dtype);
  const input = net.input.name;
  let standardised = input;
  if (model.standardiser) {
    const { mean, std } = model.standardiser;
    const centred = g.node("Sub", [input, g.tensor(`${input}.mean`, [mean.length], mean)], `${input}.centred`);
    standardised = g.node("Div", [centred, g.tensor(`${input}.std`, [std.length], std)], `${input}.standardised`);
  }
  const tensorOf = (name: string): string => (name === input ? standardised : name);
  for (const layer of net.layers) layerNodes(g, model, layer, tensorOf);
  const out = net.layers[net.layers.length - 1];
  if (!out) throw new ExportError("the network has no layers");
  const valueInfo = (name: string, units: number, docString: string): onnx.IValueInfoProto => ({
    name, docString, type: { tensorType: { elemType: g.elemType, shape: { dim: [{ dimParam: "N" }, { dimValue: units }] } } },
  });
  const features = `raw features (standardised inside the graph): ${model.features.join(", ")}`;
  const labels = model.outputs.kind === "classes" ? { key: "nnet.labels", value: JSON.stringify(model.outputs.labels) } : { key: "nnet.values", value: JSON.stringify(model.outputs.names) };
  return {
    irVersion: onnxIrVersion,
    opsetImport: [{ domain: "", version: onnxOpset }],
    producerName: "nnet",
    producerVersion: version,
    docString: `network '${net.name}' (${dtype}) after ${model.epochs} epochs of training; input ${input} [N, ${net.input.units}], output ${out.name} [N, ${out.units}]`,
    graph: {
      name: net.name,
      docString: `${features}; ${out.name}: ${describeOutputs(model)}`,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(input, net.input.units, features)],
      output: [valueInfo(out.name, out.units, describeOutputs(model))],
    },
    metadataProps: [
      { key: "nnet.network", value: net.name },
      { key: "nnet.features", value: JSON.stringify(model.features) },
      labels,
    ],
  };
}
