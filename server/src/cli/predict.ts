/** `nnet predict MODEL (--data FILE.csv | --rows "…")`: the model's answer for each row. */
import { parseArgs } from "node:util";
import type { Matrix } from "../engine/index";
import { networkOf, predictRaw, readPredictions, type Prediction } from "../model/index";
import { eachFeatureBatch, parseRowsArgument, TableError } from "../training/index";
import { dataProgress } from "./data-progress";
import { outputProblem, predictionsHeader, predictionsRow, rowsOut } from "./predict-output";
import { readModelArg } from "./model-arg";
import { exit, UsageError, type Command, type Io } from "./registry";
import { reporter } from "./train";

export const predictUsage = `Usage: nnet predict MODEL.nnetmodel (--data FILE.csv | --rows "5.1 3.5 1.4 0.2; …") [--json | --out OUT.csv]

Runs a saved model on raw feature rows (its standardisation is applied) and
prints one line per row: the predicted class and its probability, or the
output values of a regression. A CSV is read as training reads one (up to
1 GiB, streamed) and predicted a batch at a time as it is read.

Options:
  --data FILE.csv   rows to predict; the header names the model's features, in
                    any order (a target column, if present, is ignored)
  --rows TEXT       rows typed inline: ';' between rows, spaces or commas
                    between values, in the model's feature order
  --json            one JSON object per row, with every class's probability
  --out OUT.csv     write the predictions as a CSV instead (row, label,
                    probability and each class's, or each output), atomically;
                    never the data file itself, and an existing file only if it
                    holds predictions of the same columns
  -h, --help        show this help

Exit codes: 0 predicted, 1 the rows cannot be read, 2 bad usage, an unreadable model
or an output that may not be written.`;

const digits = (value: number): string => (Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? value.toFixed(4) : value.toPrecision(4));

export function predictionLine(p: Prediction): string {
  if (p.label !== undefined) return `${p.label} (p = ${digits(p.probability!)})`;
  return Object.entries(p.values).map(([name, value]) => `${name} = ${digits(value)}`).join("  ");
}

/** Rows predicted at a time: memory stays that of one batch, whatever the file's size. */
const batchRows = 4096;

export async function runPredict(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, options: { data: { type: "string" }, rows: { type: "string" }, json: { type: "boolean" }, out: { type: "string" } },
  });
  if (positionals.length !== 1) throw new UsageError("nnet predict needs exactly one MODEL.nnetmodel");
  if ((values.data === undefined) === (values.rows === undefined)) throw new UsageError("give the rows with either --data FILE.csv or --rows \"…\"");
  if (values.out !== undefined && values.json) throw new UsageError("--out writes a CSV; --json prints JSON lines: choose one");
  const loaded = readModelArg(positionals[0], values.json, io);
  if (typeof loaded === "number") return loaded;
  const { model } = loaded;
  const report = reporter(values.json, io);
  const problem = outputProblem(model, values.data, values.out);
  if (problem) return report(`cannot write the predictions: ${problem}`), exit.usage;
  const network = networkOf(model);
  const sink = rowsOut(values.out, (text) => io.out(text));
  if (values.out !== undefined) sink.write(predictionsHeader(model));
  const line = values.out !== undefined ? predictionsRow : values.json ? jsonRow : (_: number, p: Prediction) => predictionLine(p) + "\n";
  const emit = (x: Matrix, first: number): void => {
    let text = "";
    readPredictions(model, predictRaw(model, network, x)).forEach((p, i) => (text += line(first + i + 1, p)));
    sink.write(text);
  };
  let rows: number;
  try {
    if (values.data !== undefined) {
      rows = await eachFeatureBatch(values.data, model, batchRows, ({ x, first }) => emit(x, first), { onProgress: dataProgress(io, process.stderr.isTTY === true, values.data) });
    } else {
      const x = parseRowsArgument(values.rows!, model);
      emit(x, 0);
      rows = x.cols;
    }
  } catch (failure) {
    sink.abandon();
    if (failure instanceof TableError) return report(failure.message), exit.problems;
    throw failure;
  }
  sink.finish();
  if (values.out !== undefined) io.out(`wrote ${rows.toLocaleString("en-US")} predictions to ${values.out}\n`);
  return exit.ok;
}

function jsonRow(row: number, p: Prediction): string {
  return JSON.stringify({ row, ...(p.label !== undefined ? { label: p.label, probability: p.probability, probabilities: p.values } : { values: p.values }) }) + "\n";
}

export const predictCommand: Command = { name: "predict", summary: "predict with a saved model", usage: predictUsage, run: (args, io) => runPredict(args, io) };
