/**
 * Φ(z) in float64 ONNX ops, for gelu: onnxruntime has no float64 Erf. The
 * nodes follow engine/erf.ts: Φ(z) = ½ erfc(−z/√2), erfc x for x ≥ 0 from
 * the series (A&S 7.1.6) below 1 and the continued fraction (A&S 7.1.14)
 * from 1 to 27.3, 0 beyond, and erfc(−x) = 2 − erfc x. Both expansions are
 * unrolled to a fixed depth that reaches float64 rounding on their whole
 * range: the series in Horner form, the fraction evaluated from its tail.
 */
import { onnx } from "onnx-proto";

export interface NodeBuilder {
  node(opType: string, inputs: string[], output: string, attribute?: onnx.IAttributeProto[]): string;
  constant(value: number): string;
}

const { DataType } = onnx.TensorProto;
const castTo = (to: number): onnx.IAttributeProto[] => [{ name: "to", type: onnx.AttributeProto.AttributeType.INT, i: to }];

const seriesTerms = 30;
const fractionTerms = 200;
const seriesBelow = 1;
const zeroAbove = 27.3;
const twoOverSqrtPi = 1.1283791670955126;
const oneOverSqrtPi = 0.5641895835477563;

// e^(−x²) as e^(−h²)·e^(−(x − h)(x + h)), h = x rounded to float32, as the engine splits it
function expMinusSquare(g: NodeBuilder, p: string, x: string): string {
  const h = g.node("Cast", [g.node("Cast", [x], `${p}.x32`, castTo(DataType.FLOAT))], `${p}.h`, castTo(DataType.DOUBLE));
  const head = g.node("Exp", [g.node("Neg", [g.node("Mul", [h, h], `${p}.hh`)], `${p}.-hh`)], `${p}.head`);
  const rest = g.node("Mul", [g.node("Sub", [x, h], `${p}.x-h`), g.node("Add", [x, h], `${p}.x+h`)], `${p}.rr`);
  const tail = g.node("Exp", [g.node("Neg", [rest], `${p}.-rr`)], `${p}.tail`);
  return g.node("Mul", [head, tail], `${p}.e`);
}

// 1 − (2x/√π) e^(−x²) Σ (2x²)ⁿ/(1·3·…·(2n+1)), for 0 ≤ x < 1
function seriesBranch(g: NodeBuilder, p: string, x: string): string {
  const t = g.node("Mul", [g.node("Mul", [x, x], `${p}.xx`), g.constant(2)], `${p}.t`);
  let sum = g.constant(1);
  for (let n = seriesTerms; n >= 1; n--) {
    const scaled = g.node("Div", [g.node("Mul", [sum, t], `${p}.m${n}`), g.constant(2 * n + 1)], `${p}.d${n}`);
    sum = g.node("Add", [scaled, g.constant(1)], `${p}.s${n}`);
  }
  const series = g.node("Mul", [g.node("Mul", [x, g.constant(twoOverSqrtPi)], `${p}.x2pi`), sum], `${p}.series`);
  const erf = g.node("Mul", [series, expMinusSquare(g, `${p}.series`, x)], `${p}.erf`);
  return g.node("Sub", [g.constant(1), erf], `${p}.erfc`);
}

// e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))), for x ≥ 1
function fractionBranch(g: NodeBuilder, p: string, x: string): string {
  let tail = x;
  for (let n = fractionTerms; n >= 1; n--) {
    tail = g.node("Add", [x, g.node("Div", [g.constant(n / 2), tail], `${p}.q${n}`)], `${p}.k${n}`);
  }
  const fraction = g.node("Div", [g.constant(1), tail], `${p}.fraction`);
  const scaled = g.node("Mul", [expMinusSquare(g, `${p}.fraction`, x), g.constant(oneOverSqrtPi)], `${p}.scaled`);
  return g.node("Mul", [scaled, fraction], `${p}.erfc`);
}

/** Φ(z) into `out`; `p` prefixes the names of the intermediate tensors. */
export function normalCdf(g: NodeBuilder, p: string, z: string, out: string): string {
  const x = g.node("Abs", [g.node("Mul", [z, g.constant(Math.SQRT1_2)], `${p}.u`)], `${p}.x`);
  // each branch sees an argument inside its range, so the unchosen one stays finite
  const low = seriesBranch(g, `${p}.low`, g.node("Min", [x, g.constant(seriesBelow)], `${p}.xlow`));
  const high = fractionBranch(g, `${p}.high`, g.node("Max", [x, g.constant(seriesBelow)], `${p}.xhigh`));
  const far = g.node("Greater", [x, g.constant(zeroAbove)], `${p}.far`);
  const above = g.node("Where", [far, g.constant(0), high], `${p}.above`);
  const erfc = g.node("Where", [g.node("Less", [x, g.constant(seriesBelow)], `${p}.near`), low, above], `${p}.erfcx`);
  // z > 0 means −z/√2 < 0, where erfc(−x) = 2 − erfc x
  const signed = g.node("Where", [g.node("Greater", [z, g.constant(0)], `${p}.positive`), g.node("Sub", [g.constant(2), erfc], `${p}.reflected`), erfc], `${p}.erfc`);
  return g.node("Mul", [g.constant(0.5), signed], out);
}
