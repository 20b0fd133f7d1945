/** `nnet evaluate MODEL [--data FILE.csv]`: the loss and the metrics of a saved model on labelled rows. */
import { parseArgs } from "node:util";
import {
  outputKind, runMetrics, selectRows, transpose, type ClassificationReport, type Matrix, type RegressionReport, type RunMetrics,
} from "../engine/index";
import { evaluateRaw, networkOf, type TrainedModel } from "../model/index";
import { DataFileError, modelEvaluationRows, readFeatureTable, TableError } from "../training/index";
import { readModelArg } from "./model-arg";
import { exit, UsageError, type Command, type Io } from "./registry";
import { fileOptions, reporter } from "./train";
import { metricsLines } from "./metrics-text";
import { dataProgress } from "./data-progress";

export const evaluateUsage = `Usage: nnet evaluate MODEL.nnetmodel [--data FILE.csv] [--json]

Prints a saved model's loss (as training reports it) and, for classification,
its accuracy, per-class precision, recall and F1 and the confusion matrix; for
regression MAE, RMSE and R².

Options:
  --data FILE.csv             labelled rows: the model's features and its target
                              column(s), by header. Default: the model's own
                              validation split, rebuilt from its data and seed
  --json                      the figures as one JSON object
  --workspace DIR             without --data: the model's data must lie inside DIR
                              (default: the model's folder)
  --allow-outside-workspace   without --data: read the model's data anywhere
  -h, --help                  show this help

Exit codes: 0 evaluated, 1 the rows cannot be read, 2 bad usage or an unreadable model.`;

interface Evaluated {
  rows: number;
  source: string;
  loss: number;
  classification?: ClassificationReport;
  regression?: RegressionReport;
  /** several sigmoid units: each label's own two-class report */
  perLabel?: ClassificationReport[];
  metrics: RunMetrics;
}

interface LabelledRows {
  x: Matrix;
  y: Matrix;
  /** the columns to evaluate (the model's validation split); all when absent */
  examples?: Int32Array;
  source: string;
}

async function labelledRows(model: TrainedModel, path: string, values: { data?: string; workspace?: string; "allow-outside-workspace"?: boolean }, io: Io): Promise<LabelledRows> {
  const tty = process.stderr.isTTY === true;
  if (values.data !== undefined) {
    const table = await readFeatureTable(values.data, model, true, { onProgress: dataProgress(io, tty, values.data) });
    return { x: table.x, y: table.y!, source: values.data };
  }
  const files = { ...(values.workspace ? { root: values.workspace } : {}), ...(values["allow-outside-workspace"] ? { allowOutsideWorkspace: true } : {}) };
  const shown = model.data?.spec.kind === "csv" ? model.data.spec.path : "the data";
  const { rows, examples, part } = await modelEvaluationRows(model, path, files, { onProgress: dataProgress(io, tty, shown) });
  return { x: rows.x, y: rows.y, ...(examples ? { examples } : {}), source: part === "validation" ? `its validation split (seed ${model.train.seed})` : "all its data (it had no validation split)" };
}

/** The loss and the metrics from one forward pass over the rows, a chunk at a time: no copy of x is made. */
export function evaluateModel(model: TrainedModel, rows: LabelledRows): Evaluated {
  const { x, y, examples, source } = rows;
  const { loss, outputs } = evaluateRaw(model, networkOf(model), x, y, examples);
  // the targets (a few per row) as the outputs' columns: the only copy made
  const metrics = runMetrics(outputKind(model.network), outputs, transpose(examples ? selectRows(y, examples) : y), "validation");
  return {
    rows: outputs.cols, source, loss, metrics,
    ...(metrics.kind === "classes" ? { classification: metrics.report } : metrics.kind === "labels" ? { perLabel: metrics.perLabel } : { regression: metrics.report }),
  };
}

function text(model: TrainedModel, e: Evaluated): string {
  const names = model.outputs.kind === "classes" ? model.outputs.labels : model.outputs.names;
  return [`${model.network.name} on ${e.source}: ${e.rows} rows`, `loss ${e.loss.toPrecision(6)} (${model.network.loss})`, ...metricsLines(e.metrics, names)].join("\n");
}

export async function runEvaluate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...fileOptions, data: { type: "string" } } });
  if (positionals.length !== 1) throw new UsageError("nnet evaluate needs exactly one MODEL.nnetmodel");
  const loaded = readModelArg(positionals[0], values.json, io);
  if (typeof loaded === "number") return loaded;
  let evaluated: Evaluated;
  try {
    evaluated = evaluateModel(loaded.model, await labelledRows(loaded.model, loaded.path, values, io));
  } catch (failure) {
    if (failure instanceof TableError || failure instanceof DataFileError) return reporter(values.json, io)(failure.message), exit.problems;
    if (values.data === undefined && failure instanceof Error) return reporter(values.json, io)(`cannot rebuild the model's data: ${failure.message}`), exit.problems;
    throw failure;
  }
  const labels = loaded.model.outputs.kind === "classes" ? { labels: loaded.model.outputs.labels } : { outputs: loaded.model.outputs.names };
  const { metrics: _shown, ...figures } = evaluated;
  io.out((values.json ? JSON.stringify({ network: loaded.model.network.name, ...labels, ...figures }) : text(loaded.model, evaluated)) + "\n");
  return exit.ok;
}

export const evaluateCommand: Command = { name: "evaluate", summary: "the loss and metrics of a saved model", usage: evaluateUsage, run: (args, io) => runEvaluate(args, io) };
