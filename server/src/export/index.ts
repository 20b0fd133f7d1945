/** Exports of a model to other engines: PyTorch (a Python project) and ONNX (an inference graph). */
export { ExportError } from "./errors";
export { exportPytorch, type PytorchOptions } from "./pytorch/index";
export { exportOnnx, type OnnxOptions, type OnnxDtype } from "./onnx/index";
