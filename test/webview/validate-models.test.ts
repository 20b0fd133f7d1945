/** The model messages at the trust boundaries: the panel's predictions and the model requests' parameters. */
import { describe, expect, it } from "vitest";
import {
  validateExportParams, validateHostMessage, validateModelSummaryParams, validatePanelState, validatePredictParams,
  validateSaveModelParams, validateWebviewMessage, type PredictResult,
} from "../../server/src/protocol";

const result: PredictResult = {
  model: "/w/fruit.nnetmodel", data: "/w/new.csv", network: "fruit", kind: "classes", columns: ["apple", "banana"],
  rows: [{ label: "apple", probability: 0.9, values: [0.9, 0.1] }], omitted: 0,
};

describe("predictions in the panel", () => {
  it("accepts a well-formed table, in a message and in a restored state", () => {
    expect(validateHostMessage({ type: "predictions", result })).toEqual({ type: "predictions", result });
    expect(validatePanelState({ history: [], predictions: result })?.predictions).toEqual(result);
  });

  it("refuses rows whose values do not match the columns, and unknown kinds", () => {
    expect(validateHostMessage({ type: "predictions", result: { ...result, rows: [{ values: [1] }] } })).toBeUndefined();
    expect(validateHostMessage({ type: "predictions", result: { ...result, kind: "html" } })).toBeUndefined();
    expect(validateHostMessage({ type: "predictions", result: { ...result, omitted: -1 } })).toBeUndefined();
  });

  it("takes the end-of-run card's messages with known targets only", () => {
    expect(validateWebviewMessage({ type: "saveModel", target: "/etc/passwd" })).toEqual({ type: "saveModel" });
    expect(validateWebviewMessage({ type: "exportModel", to: "onnx" })).toEqual({ type: "exportModel", to: "onnx" });
    expect(validateWebviewMessage({ type: "exportModel", to: "tflite" })).toBeUndefined();
  });
});

describe("model request parameters", () => {
  it("rebuilds well-formed parameters from known fields", () => {
    expect(validateSaveModelParams({ uri: "file:///w/a.nnet", target: "/w/a.nnetmodel", extra: 1 })).toEqual({ uri: "file:///w/a.nnet", target: "/w/a.nnetmodel" });
    expect(validatePredictParams({ model: "/w/a.nnetmodel", data: "/w/rows.csv" })).toEqual({ model: "/w/a.nnetmodel", data: "/w/rows.csv" });
    expect(validateModelSummaryParams({ path: "/w/a.nnetmodel" })).toEqual({ path: "/w/a.nnetmodel" });
    expect(validateExportParams({ model: "/w/a.nnetmodel", to: "pytorch", out: "/w/py" })).toEqual({ model: "/w/a.nnetmodel", to: "pytorch", out: "/w/py" });
  });

  it("refuses empty paths, NUL bytes, wrong types and an export with both or neither source", () => {
    expect(validateSaveModelParams({ uri: "file:///w/a.nnet", target: "" })).toBeUndefined();
    expect(validatePredictParams({ model: "/w/a\0.nnetmodel", data: "/w/rows.csv" })).toBeUndefined();
    expect(validateModelSummaryParams({ path: ["/w/a.nnetmodel"] })).toBeUndefined();
    expect(validateExportParams({ to: "onnx", out: "/w/a.onnx" })).toBeUndefined();
    expect(validateExportParams({ uri: "file:///w/a.nnet", model: "/w/a.nnetmodel", to: "onnx", out: "/w/a.onnx" })).toBeUndefined();
    expect(validateExportParams({ uri: "file:///w/a.nnet", to: "onnx", out: "/w/a.onnx", network: 3 })).toBeUndefined();
  });
});
