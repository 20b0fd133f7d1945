/** Export of the inference graph to ONNX (opset 17). */
import { onnx } from "onnx-proto";
import type { TrainedModel } from "../../model/index";
import { writeFileAtomic } from "../../training/index";
import { onnxModel, type OnnxDtype } from "./graph";
import { checkOnnxTarget } from "./target";

export { onnxModel, onnxOpset, onnxIrVersion, type OnnxDtype } from "./graph";
export { isOnnxFile } from "./target";

export interface OnnxOptions {
  /** the type of the weights, input and output (default float32, what ONNX runtimes run first) */
  dtype?: OnnxDtype;
}

/** Writes the .onnx file atomically; an ExportError leaves the path as it was. */
export function exportOnnx(model: TrainedModel, out: string, options: OnnxOptions = {}): void {
  checkOnnxTarget(out);
  const proto = onnxModel(model, options.dtype ?? "float32");
  const bytes = onnx.ModelProto.encode(proto).finish();
  writeFileAtomic(out, [bytes]);
}
