/** Export of the inference graph to ONNX (opset 17). */
import type { TrainedModel } from "../../model/index";
import { ExportError } from "../errors";

/** Writes the .onnx file atomically. */
export function exportOnnx(_model: TrainedModel, _out: string): void {
  throw new ExportError("the ONNX export is not built yet");
}
