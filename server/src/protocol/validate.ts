/**
 * Runtime checks for messages that cross the webview boundary. A webview is
 * a web page: whatever it posts is untrusted until it has this shape, and a
 * restored state may come from an older version of the panel. Each check
 * returns the typed value, rebuilt from known fields only, or undefined.
 *
 * Every check is typed against the one declaration of what it checks (the
 * engine's, the model's or the protocol's own type): `shape<T>` needs one
 * check per field of T, optional exactly where T is optional, and `choice<T>`
 * one entry per member of T, so a field or member added to a type and not
 * validated fails `tsc -b`.
 */
import type {
  DecisionGrid, DoneParams, EarlyStop, EpochMetrics, ExportTarget, GradcheckReport, GradcheckRow, HistoryRun, HostMessage,
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

/** One of the members of T; the record must name every member, so a member added to T fails to compile here. */
export function choice<T extends string>(members: Record<T, true>): Check<T> {
  return (value) => (typeof value === "string" && Object.prototype.hasOwnProperty.call(members, value) ? (value as T) : undefined);
}

/** A message's own tag. */
export const tag = <T extends string>(type: T): Check<T> => (value) => (value === type ? type : undefined);

export const jobKind = choice<JobKind>({ train: true, gradcheck: true });
export const doneStatus = choice<DoneParams["status"]>({ completed: true, cancelled: true, failed: true });
export const exportTarget = choice<ExportTarget>({ pytorch: true, onnx: true });

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

/** The check of a field its type marks optional: it may be absent, and must pass when present. */
export interface Optional<T> {
  readonly optional: Check<T>;
}
export const optional = <T>(check: Check<T>): Optional<T> => ({ optional: check });

/** One check per field of T: `optional(...)` exactly for T's optional fields. */
export type Fields<T> = {
  [K in keyof T]-?: {} extends Pick<T, K> ? Optional<Exclude<T[K], undefined>> : Check<T[K]>;
};

/** Builds a checked object from a field map of T. Unknown keys are dropped. */
export function shape<T>(fields: Fields<T>): Check<T> {
  const entries = Object.entries(fields as Record<string, Check<unknown> | Optional<unknown>>);
  return (value) => {
    if (!isRecord(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, field] of entries) {
      const raw = value[key];
      const isOptional = typeof field !== "function";
      if (raw === undefined && isOptional) continue;
      const checked = isOptional ? field.optional(raw) : field(raw);
      if (checked === undefined) return undefined;
      out[key] = checked;
    }
    return out as T;
  };
}

/** A union told apart by `key`: one check per variant, so a variant added to T fails to compile here. */
export function variants<T extends Record<D, string>, D extends keyof T>(
  key: D, checks: { [V in T[D]]: Check<Extract<T, Record<D, V>>> },
): Check<T> {
  return (value) => {
    if (!isRecord(value) || typeof value[key as string] !== "string") return undefined;
    const variant = value[key as string] as string;
    if (!Object.prototype.hasOwnProperty.call(checks, variant)) return undefined;
    return (checks as Record<string, Check<T>>)[variant](value);
  };
}

const layerStats = shape<LayerStats>({ layer: name, gradNorm: metric, meanAbsDelta: metric, updateRatio: metric });

export const validateEpochMetrics: Check<EpochMetrics> = shape<EpochMetrics>({
  epoch: count, loss: metric, valLoss: optional(metric), accuracy: optional(metric), valAccuracy: optional(metric), lr: optional(metric),
  layers: list(layerStats, messageLimits.layers),
});

const point = shape<DecisionGrid["points"][number]>({ x: finite, y: finite, label: finite });

const decisionGrid = shape<DecisionGrid>({
  xMin: finite, xMax: finite, yMin: finite, yMax: finite, resolution: count,
  values: list(metric, messageLimits.gridValues), points: list(point, messageLimits.points),
});

export const validateDecisionGrid: Check<DecisionGrid> = (value) => {
  const grid = decisionGrid(value);
  if (!grid || grid.resolution < 1 || grid.values.length !== grid.resolution * grid.resolution) return undefined;
  return grid;
};

const gradcheckRow = shape<GradcheckRow>({
  layer: name, param: choice<GradcheckRow["param"]>({ W: true, b: true }), maxRelError: metric, medianRelError: metric,
  worst: shape<GradcheckRow["worst"]>({ row: count, col: count }),
  kinks: count, clips: count, checked: count, total: count, passed: flag,
});

export const validateGradcheckReport: Check<GradcheckReport> = shape<GradcheckReport>({
  network: name, epsilon: finite, tolerance: finite,
  rows: list(gradcheckRow, messageLimits.layers * 2),
  passed: flag,
});

const layerSummary = shape<LayerSummary>({
  name, kind: choice<LayerSummary["kind"]>({ input: true, dense: true, add: true, concat: true, dropout: true }), units: count,
  activation: optional(name), from: list(name, messageLimits.layers), params: count,
});

export const validateNetworkSummary: Check<NetworkSummary> = shape<NetworkSummary>({
  network: name, loss: name, layers: list(layerSummary, messageLimits.layers), totalParams: count,
});

const classMetrics = shape<ClassMetrics>({ precision: metric, recall: metric, f1: metric, support: count });
const classReport = shape<ClassificationReport>({
  accuracy: metric, confusion: list(list(count, messageLimits.classes), messageLimits.classes), perClass: list(classMetrics, messageLimits.classes), macroF1: metric,
});
const outputErrors: Fields<OutputErrors> = { mae: metric, rmse: metric, r2: metric };
const regressionReport = shape<RegressionReport>({ ...outputErrors, perOutput: list(shape<OutputErrors>(outputErrors), messageLimits.classes) });

type Report<K extends RunReport["kind"]> = Extract<RunReport, { kind: K }>;
const reportBase = { part: choice<RunReport["part"]>({ validation: true, training: true }), names: list(name, messageLimits.classes) };

/** A run's metrics: the kind decides which report it carries. */
export const validateRunReport: Check<RunReport> = variants<RunReport, "kind">("kind", {
  classes: shape<Report<"classes">>({ ...reportBase, kind: tag("classes"), report: classReport }),
  labels: shape<Report<"labels">>({ ...reportBase, kind: tag("labels"), perLabel: list(classReport, messageLimits.classes) }),
  values: shape<Report<"values">>({ ...reportBase, kind: tag("values"), report: regressionReport }),
});

const history = list(validateEpochMetrics, messageLimits.history);

const stopped = shape<EarlyStop>({
  epoch: count, bestEpoch: count, monitor: choice<EarlyStop["monitor"]>({ loss: true, val_loss: true, val_accuracy: true }),
  best: metric, patience: count, minDelta: metric, reason: text(messageLimits.message),
});

const doneParams = shape<DoneParams>({
  jobId: name, uri, network: name, kind: jobKind, status: doneStatus,
  message: optional(text(messageLimits.message)), line: optional(count), history: optional(history),
  gradcheck: optional(validateGradcheckReport), grid: optional(validateDecisionGrid), report: optional(validateRunReport), stopped: optional(stopped),
});

const predictionRow = shape<PredictionRow>({
  label: optional(name), probability: optional(metric), values: list(metric, messageLimits.layers),
});

const predictResult = shape<PredictResult>({
  model: text(messageLimits.path), data: text(messageLimits.path), network: name, kind: choice<PredictResult["kind"]>({ classes: true, values: true }),
  columns: list(name, messageLimits.layers), rows: list(predictionRow, messageLimits.predictions), omitted: count,
});

/** Predictions for the panel: every row has one value per column. */
export const validatePredictResult: Check<PredictResult> = (value) => {
  const result = predictResult(value);
  if (!result || !result.rows.every((row) => row.values.length === result.columns.length)) return undefined;
  return result;
};

// read when called: validate-runs.ts imports this module
const historyRuns: Check<HistoryRun[]> = (value) => list(validateHistoryRun, messageLimits.runs)(value);

export const validatePanelState: Check<PanelState> = shape<PanelState>({
  jobId: optional(name), uri: optional(uri), network: optional(name), kind: optional(jobKind), epochs: optional(count), summary: optional(validateNetworkSummary), history,
  grid: optional(validateDecisionGrid), gradcheck: optional(validateGradcheckReport), status: optional(doneStatus),
  message: optional(text(messageLimits.message)), stopped: optional(stopped), predictions: optional(validatePredictResult), report: optional(validateRunReport),
  runs: optional(historyRuns), selected: optional(list(name, messageLimits.runs)),
  grids: optional(list(shape<NonNullable<PanelState["grids"]>[number]>({ epoch: count, grid: validateDecisionGrid }), 2 * replayGrids)),
});

const pngDataUrl: Check<string> = (value) => {
  const url = text(messageLimits.dataUrl)(value);
  return url !== undefined && /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(url) ? url : undefined;
};

/** A file name stem: no path separators, no control characters. */
const fileStem: Check<string> = (value) => {
  const stem = text(128)(value);
  return stem !== undefined && /^[\w.-]+$/.test(stem) && !stem.startsWith(".") ? stem : undefined;
};

type Posted<K extends WebviewMessage["type"]> = Extract<WebviewMessage, { type: K }>;
type Hosted<K extends HostMessage["type"]> = Extract<HostMessage, { type: K }>;

/** A message the webview posted, or undefined when it is unknown or malformed. */
export const validateWebviewMessage: Check<WebviewMessage> = variants<WebviewMessage, "type">("type", {
  ready: shape<Posted<"ready">>({ type: tag("ready") }),
  revealLayer: shape<Posted<"revealLayer">>({ type: tag("revealLayer"), layer: name }),
  exportCsv: shape<Posted<"exportCsv">>({ type: tag("exportCsv"), csv: text(messageLimits.csv) }),
  exportPng: shape<Posted<"exportPng">>({ type: tag("exportPng"), name: fileStem, dataUrl: pngDataUrl }),
  saveModel: shape<Posted<"saveModel">>({ type: tag("saveModel") }),
  exportModel: shape<Posted<"exportModel">>({ type: tag("exportModel"), to: exportTarget }),
  selectRuns: shape<Posted<"selectRuns">>({ type: tag("selectRuns"), ids: list(name, messageLimits.runs) }),
  editRun: shape<Posted<"editRun">>({
    type: tag("editRun"), id: name, name: optional(name), pinned: optional(flag), remove: optional((value) => (value === true ? true : undefined)),
  }),
});

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
export const validateHostMessage: Check<HostMessage> = variants<HostMessage, "type">("type", {
  run: shape<Hosted<"run">>({
    type: tag("run"), jobId: name, network: name, kind: jobKind, epochs: count, summary: validateNetworkSummary, uri: optional(uri),
  }),
  progress: shape<Hosted<"progress">>({ type: tag("progress"), metrics: validateEpochMetrics, grid: optional(validateDecisionGrid) }),
  done: shape<Hosted<"done">>({ type: tag("done"), params: doneParams }),
  restore: shape<Hosted<"restore">>({ type: tag("restore"), state: validatePanelState }),
  predictions: shape<Hosted<"predictions">>({ type: tag("predictions"), result: validatePredictResult }),
  runs: shape<Hosted<"runs">>({ type: tag("runs"), runs: historyRuns }),
  select: shape<Hosted<"select">>({ type: tag("select"), ids: list(name, messageLimits.runs) }),
});
