/**
 * Runtime checks for messages that cross the webview boundary. A webview is
 * a web page: whatever it posts is untrusted until it has this shape, and a
 * restored state may come from an older version of the panel. Each check
 * returns the typed value, rebuilt from known fields only, or undefined.
 */
import type {
  DecisionGrid, DoneParams, EarlyStop, EpochMetrics, GradcheckReport, GradcheckRow, HostMessage,
  JobKind, LayerStats, LayerSummary, NetworkSummary, PanelState, PredictionRow, PredictResult, RunReport, WebviewMessage,
} from "./index";
import { validateHistoryRun } from "./validate-runs";
import { replayGrids } from "./panel-state-limits";
import type { ClassificationReport, ClassMetrics, OutputErrors, RegressionReport } from "../engine/index";

/**
 * Bounds on what a well-behaved panel sends; anything larger is refused. They
 * bound one message of a web page (the history it exports, a chart's image),
 * never a data file: data files are read by the server (up to 1 GiB,
 * training/data-files.ts) and the panel only ever receives bounded views of
 * them (the run's history, at most predictRowLimit predictions).
 */
export const messageLimits = {
  name: 256,
  message: 16_384,
  csv: 64 * 1024 * 1024,
  dataUrl: 64 * 1024 * 1024,
  history: 1_000_000,
  layers: 4_096,
  gridValues: 1_048_576,
  points: 100_000,
  predictions: 10_000,
  path: 4_096,
  runs: 1_000,
  /** classes, labels or outputs of a run's metrics */
  classes: 4_096,
} as const;

export type Check<T> = (value: unknown) => T | undefined;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const text = (max: number): Check<string> => (value) =>
  typeof value === "string" && value.length <= max ? value : undefined;

export const name = text(messageLimits.name);
export const uri = text(8_192);

/** JSON turns NaN and Infinity into null, so a diverged epoch may carry null. */
export const metric: Check<number> = (value) => {
  if (typeof value === "number") return value;
  return value === null ? Number.NaN : undefined;
};

export const finite: Check<number> = (value) =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

export const count: Check<number> = (value) =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;

export const flag: Check<boolean> = (value) => (typeof value === "boolean" ? value : undefined);

export const oneOf = <T extends string>(...options: T[]): Check<T> => (value) =>
  options.includes(value as T) ? (value as T) : undefined;

export const jobKind = oneOf<JobKind>("train", "gradcheck");
export const doneStatus = oneOf<DoneParams["status"]>("completed", "cancelled", "failed");

export function list<T>(item: Check<T>, max: number): Check<T[]> {
  return (value) => {
    if (!Array.isArray(value) || value.length > max) return undefined;
    const out: T[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const checked = item(value[i]);
      if (checked === undefined) return undefined;
      out[i] = checked;
    }
    return out;
  };
}

/**
 * Builds a checked object from a field map: required fields must pass,
 * optional ones (key listed in `optional`) may be absent. Unknown keys are dropped.
 */
export function shape<T>(fields: { [K in keyof T]-?: Check<T[K]> }, optional: (keyof T)[] = []): Check<T> {
  return (value) => {
    if (!isRecord(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      const raw = value[key];
      if (raw === undefined && optional.includes(key)) continue;
      const checked = fields[key](raw);
      if (checked === undefined) return undefined;
      out[key] = checked;
    }
    return out as T;
  };
}

const layerStats = shape<LayerStats>({ layer: name, gradNorm: metric, meanAbsDelta: metric, updateRatio: metric });

export const validateEpochMetrics: Check<EpochMetrics> = shape<EpochMetrics>(
  {
    epoch: count, loss: metric, valLoss: metric, accuracy: metric, valAccuracy: metric, lr: metric,
    layers: list(layerStats, messageLimits.layers),
  },
  ["valLoss", "accuracy", "valAccuracy", "lr"],
);

const point = shape<DecisionGrid["points"][number]>({ x: finite, y: finite, label: finite });

export const validateDecisionGrid: Check<DecisionGrid> = (value) => {
  const grid = shape<DecisionGrid>({
    xMin: finite, xMax: finite, yMin: finite, yMax: finite, resolution: count,
    values: list(metric, messageLimits.gridValues), points: list(point, messageLimits.points),
  })(value);
  if (!grid || grid.resolution < 1 || grid.values.length !== grid.resolution * grid.resolution) return undefined;
  return grid;
};

const gradcheckRow = shape<GradcheckRow>({
  layer: name, param: oneOf("W", "b"), maxRelError: metric, medianRelError: metric,
  worst: shape<GradcheckRow["worst"]>({ row: count, col: count }),
  kinks: count, clips: count, checked: count, total: count, passed: (v) => (typeof v === "boolean" ? v : undefined),
});

export const validateGradcheckReport: Check<GradcheckReport> = shape<GradcheckReport>({
  network: name, epsilon: finite, tolerance: finite,
  rows: list(gradcheckRow, messageLimits.layers * 2),
  passed: (v) => (typeof v === "boolean" ? v : undefined),
});

const layerSummary = shape<LayerSummary>(
  {
    name, kind: oneOf("input", "dense", "add", "concat", "dropout"), units: count, activation: name,
    from: list(name, messageLimits.layers), params: count,
  },
  ["activation"],
);

export const validateNetworkSummary: Check<NetworkSummary> = shape<NetworkSummary>({
  network: name, loss: name, layers: list(layerSummary, messageLimits.layers), totalParams: count,
});

const classMetrics = shape<ClassMetrics>({ precision: metric, recall: metric, f1: metric, support: count });
const classReport = shape<ClassificationReport>({
  accuracy: metric, confusion: list(list(count, messageLimits.classes), messageLimits.classes), perClass: list(classMetrics, messageLimits.classes), macroF1: metric,
});
const outputErrors = { mae: metric, rmse: metric, r2: metric };
const regressionReport = shape<RegressionReport>({ ...outputErrors, perOutput: list(shape<OutputErrors>(outputErrors), messageLimits.classes) });

/** A run's metrics: the kind decides which report it carries. */
export const validateRunReport: Check<RunReport> = (value) => {
  if (!isRecord(value)) return undefined;
  const part = oneOf("validation", "training")(value.part);
  const names = list(name, messageLimits.classes)(value.names);
  if (!part || !names) return undefined;
  if (value.kind === "classes") {
    const report = classReport(value.report);
    return report && { part, names, kind: "classes", report };
  }
  if (value.kind === "labels") {
    const perLabel = list(classReport, messageLimits.classes)(value.perLabel);
    return perLabel && { part, names, kind: "labels", perLabel };
  }
  if (value.kind !== "values") return undefined;
  const report = regressionReport(value.report);
  return report && { part, names, kind: "values", report };
};

const history = list(validateEpochMetrics, messageLimits.history);

const stopped = shape<EarlyStop>({
  epoch: count, bestEpoch: count, monitor: oneOf("loss", "val_loss", "val_accuracy"), best: metric, patience: count, minDelta: metric,
  reason: text(messageLimits.message),
});

const doneParams = shape<DoneParams>(
  {
    jobId: name, uri, network: name, kind: jobKind, status: doneStatus,
    message: text(messageLimits.message), line: count, history,
    gradcheck: validateGradcheckReport, grid: validateDecisionGrid, report: validateRunReport, stopped,
  },
  ["message", "line", "history", "gradcheck", "grid", "report", "stopped"],
);

const predictionRow = shape<PredictionRow>(
  { label: name, probability: metric, values: list(metric, messageLimits.layers) },
  ["label", "probability"],
);

/** Predictions for the panel: every row has one value per column. */
export const validatePredictResult: Check<PredictResult> = (value) => {
  const result = shape<PredictResult>({
    model: text(messageLimits.path), data: text(messageLimits.path), network: name, kind: oneOf("classes", "values"),
    columns: list(name, messageLimits.layers), rows: list(predictionRow, messageLimits.predictions), omitted: count,
  })(value);
  if (!result || !result.rows.every((row) => row.values.length === result.columns.length)) return undefined;
  return result;
};

export const validatePanelState: Check<PanelState> = shape<PanelState>(
  {
    uri, network: name, kind: jobKind, epochs: count, summary: validateNetworkSummary, history,
    grid: validateDecisionGrid, gradcheck: validateGradcheckReport, status: doneStatus,
    message: text(messageLimits.message), stopped, predictions: validatePredictResult, report: validateRunReport,
    runs: (value) => list(validateHistoryRun, messageLimits.runs)(value), selected: list(name, messageLimits.runs),
    grids: list(shape({ epoch: count, grid: validateDecisionGrid }), 2 * replayGrids),
  },
  ["uri", "network", "kind", "epochs", "summary", "grid", "gradcheck", "status", "message", "stopped", "predictions", "report", "runs", "selected", "grids"],
);

const pngDataUrl: Check<string> = (value) => {
  const url = text(messageLimits.dataUrl)(value);
  return url !== undefined && /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(url) ? url : undefined;
};

/** A file name stem: no path separators, no control characters. */
const fileStem: Check<string> = (value) => {
  const stem = text(128)(value);
  return stem !== undefined && /^[\w.-]+$/.test(stem) && !stem.startsWith(".") ? stem : undefined;
};

const webviewChecks: { [K in WebviewMessage["type"]]: Check<Extract<WebviewMessage, { type: K }>> } = {
  ready: shape({ type: oneOf("ready") }),
  revealLayer: shape({ type: oneOf("revealLayer"), layer: name }),
  exportCsv: shape({ type: oneOf("exportCsv"), csv: text(messageLimits.csv) }),
  exportPng: shape({ type: oneOf("exportPng"), name: fileStem, dataUrl: pngDataUrl }),
  saveModel: shape({ type: oneOf("saveModel") }),
  exportModel: shape({ type: oneOf("exportModel"), to: oneOf("pytorch", "onnx") }),
  selectRuns: shape({ type: oneOf("selectRuns"), ids: list(name, messageLimits.runs) }),
  editRun: shape(
    { type: oneOf("editRun"), id: name, name, pinned: flag, remove: (value) => (value === true ? true : undefined) },
    ["name", "pinned", "remove"],
  ),
};

const hostChecks: { [K in HostMessage["type"]]: Check<Extract<HostMessage, { type: K }>> } = {
  run: shape(
    { type: oneOf("run"), jobId: name, network: name, kind: jobKind, epochs: count, summary: validateNetworkSummary, uri },
    ["uri"],
  ),
  progress: shape({ type: oneOf("progress"), metrics: validateEpochMetrics, grid: validateDecisionGrid }, ["grid"]),
  done: shape({ type: oneOf("done"), params: doneParams }),
  restore: shape({ type: oneOf("restore"), state: validatePanelState }),
  predictions: shape({ type: oneOf("predictions"), result: validatePredictResult }),
  runs: shape({ type: oneOf("runs"), runs: (value) => list(validateHistoryRun, messageLimits.runs)(value) }),
  select: shape({ type: oneOf("select"), ids: list(name, messageLimits.runs) }),
};

function byType<M extends { type: string }>(checks: Record<string, Check<M>>): Check<M> {
  return (value) => {
    if (!isRecord(value) || typeof value.type !== "string") return undefined;
    if (!Object.prototype.hasOwnProperty.call(checks, value.type)) return undefined;
    return checks[value.type](value);
  };
}

/** A message the webview posted, or undefined when it is unknown or malformed. */
export const validateWebviewMessage: Check<WebviewMessage> = byType<WebviewMessage>(webviewChecks);

const mib = (chars: number, digits = 1): string => (chars / 2 ** 20).toFixed(digits);

/** Why an export the page posted was refused for its size, as the user should hear it (it is not saved in part), or undefined. */
export function oversizeExport(raw: unknown): string | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.type === "exportCsv" && typeof raw.csv === "string" && raw.csv.length > messageLimits.csv) {
    return `the history CSV is ${mib(raw.csv.length)} MiB, above the ${mib(messageLimits.csv, 0)} MiB the panel may send at once; nothing was saved (nnet train --json writes every epoch)`;
  }
  if (raw.type === "exportPng" && typeof raw.dataUrl === "string" && raw.dataUrl.length > messageLimits.dataUrl) {
    return `the chart image is ${mib(raw.dataUrl.length)} MiB, above the ${mib(messageLimits.dataUrl, 0)} MiB the panel may send at once; nothing was saved`;
  }
  return undefined;
}

/** A message the extension host posted, or undefined when it is unknown or malformed. */
export const validateHostMessage: Check<HostMessage> = byType<HostMessage>(hostChecks);
