import { describe, expect, it } from "vitest";
import {
  applyHostMessage, emptyPanelState, messageLimits, validateHostMessage, validatePanelState, validateWebviewMessage,
} from "../../server/src/protocol";
import { decisionGrid, epochMetrics, gradcheckReport, runMessage, summary } from "./fixtures";

const png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

describe("validateWebviewMessage", () => {
  it.each([
    [{ type: "ready" }],
    [{ type: "revealLayer", layer: "hidden1" }],
    [{ type: "exportCsv", csv: "epoch,loss\r\n1,0.5\r\n" }],
    [{ type: "exportPng", name: "loss", dataUrl: png }],
  ])("accepts %j", (message) => {
    expect(validateWebviewMessage(message)).toEqual(message);
  });

  it.each([
    ["a non-object", "ready"],
    ["null", null],
    ["an array", [{ type: "ready" }]],
    ["a number", 42],
    ["no type", { layer: "h1" }],
    ["an unknown type", { type: "runCommand", command: "rm -rf /" }],
    ["a type inherited from Object", { type: "toString" }],
    ["a layer that is not a string", { type: "revealLayer", layer: 3 }],
    ["a missing layer", { type: "revealLayer" }],
    ["a huge layer name", { type: "revealLayer", layer: "x".repeat(messageLimits.name + 1) }],
    ["csv that is not a string", { type: "exportCsv", csv: ["epoch"] }],
    ["a png name with a path", { type: "exportPng", name: "../../etc/passwd", dataUrl: png }],
    ["a png name starting with a dot", { type: "exportPng", name: ".bashrc", dataUrl: png }],
    ["a data url of another type", { type: "exportPng", name: "loss", dataUrl: "data:text/html;base64,PHNjcmlwdD4=" }],
    ["a data url with markup", { type: "exportPng", name: "loss", dataUrl: "data:image/png;base64,<script>" }],
    ["a remote url", { type: "exportPng", name: "loss", dataUrl: "https://example.com/x.png" }],
  ])("refuses %s", (_what, message) => {
    expect(validateWebviewMessage(message)).toBeUndefined();
  });

  it("drops extra fields, however large, and keeps only the declared ones", () => {
    const message = { type: "revealLayer", layer: "h1", payload: "x".repeat(5_000_000), __proto__: { polluted: true } };
    const checked = validateWebviewMessage(message);
    expect(checked).toEqual({ type: "revealLayer", layer: "h1" });
    expect(Object.keys(checked ?? {})).toEqual(["type", "layer"]);
  });

  it("refuses a CSV beyond the size limit without copying it", () => {
    const csv = "a".repeat(messageLimits.csv + 1);
    expect(validateWebviewMessage({ type: "exportCsv", csv })).toBeUndefined();
  });
});

describe("validateHostMessage", () => {
  it("accepts every message a run sends", () => {
    const messages = [
      runMessage(10),
      { type: "progress", metrics: epochMetrics(1), grid: decisionGrid(8) },
      { type: "done", params: { jobId: "j", uri: "file:///a.nnet", network: "circle", kind: "train", status: "completed", gradcheck: gradcheckReport } },
      { type: "restore", state: { network: "circle", summary, history: [epochMetrics(1)] } },
    ];
    for (const message of messages) expect(validateHostMessage(message)).toEqual(message);
  });

  it("reads a null metric (JSON's NaN) as NaN, so a diverged epoch still shows", () => {
    const metrics = { ...epochMetrics(3), loss: null };
    const checked = validateHostMessage({ type: "progress", metrics });
    expect(checked?.type === "progress" && Number.isNaN(checked.metrics.loss)).toBe(true);
  });

  it.each([
    ["an epoch that is not a count", { type: "progress", metrics: { ...epochMetrics(1), epoch: 1.5 } }],
    ["layers that are not a list", { type: "progress", metrics: { ...epochMetrics(1), layers: {} } }],
    ["a grid whose values do not fill it", { type: "progress", metrics: epochMetrics(1), grid: { ...decisionGrid(8), resolution: 9 } }],
    ["an unknown job kind", { ...runMessage(3), kind: "deploy" }],
    ["an unknown status", { type: "done", params: { jobId: "j", uri: "u", network: "n", kind: "train", status: "exploded" } }],
    ["a gradcheck param other than W or b", { type: "done", params: { jobId: "j", uri: "u", network: "n", kind: "gradcheck", status: "completed", gradcheck: { ...gradcheckReport, rows: [{ ...gradcheckReport.rows[0], param: "z" }] } } }],
    ["a state without history", { type: "restore", state: { network: "circle" } }],
  ])("refuses %s", (_what, message) => {
    expect(validateHostMessage(message)).toBeUndefined();
  });
});

describe("panel state", () => {
  it("validates what the panel saved, dropping its view settings", () => {
    const saved = { network: "circle", history: [epochMetrics(1)], view: { logScale: true, smoothing: 0.5 } };
    expect(validatePanelState(saved)).toEqual({ network: "circle", history: [epochMetrics(1)] });
    expect(validatePanelState({ history: "no" })).toBeUndefined();
    expect(validatePanelState(undefined)).toBeUndefined();
  });

  it("follows a run: reset on run, append progress in order, settle on done", () => {
    let state = applyHostMessage({ ...emptyPanelState(), history: [epochMetrics(9)] }, runMessage(3));
    expect(state).toMatchObject({ network: "circle", epochs: 3, history: [] });
    for (const epoch of [1, 2, 2, 1, 3]) state = applyHostMessage(state, { type: "progress", metrics: epochMetrics(epoch) });
    expect(state.history.map((m) => m.epoch)).toEqual([1, 2, 3]);
    state = applyHostMessage(state, {
      type: "done",
      params: { jobId: "j", uri: "u", network: "circle", kind: "train", status: "failed", message: "loss became NaN at epoch 3" },
    });
    expect(state).toMatchObject({ status: "failed", message: "loss became NaN at epoch 3" });
    expect(state.history).toHaveLength(3);
  });
});
