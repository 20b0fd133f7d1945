/** `nnet predict MODEL (--data FILE.csv | --rows "…")`: the model's answer for each row. */
import { parseArgs } from "node:util";
import { networkOf, predictRaw, readPredictions, type Prediction } from "../model/index";
import { parseRowsArgument, readFeatureTable, TableError } from "../training/index";
import { readModelArg } from "./model-arg";
import { exit, UsageError, type Command, type Io } from "./registry";
import { reporter } from "./train";

export const predictUsage = `Usage: nnet predict MODEL.nnetmodel (--data FILE.csv | --rows "5.1 3.5 1.4 0.2; …") [--json]

Runs a saved model on raw feature rows (its standardisation is applied) and
prints one line per row: the predicted class and its probability, or the
output values of a regression.

Options:
  --data FILE.csv   rows to predict; the header names the model's features, in
                    any order (a target column, if present, is ignored)
  --rows TEXT       rows typed inline: ';' between rows, spaces or commas
                    between values, in the model's feature order
  --json            one JSON object per row, with every class's probability
  -h, --help        show this help

Exit codes: 0 predicted, 1 the rows cannot be read, 2 bad usage or an unreadable model.`;

const digits = (value: number): string => (Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? value.toFixed(4) : value.toPrecision(4));

export function predictionLine(p: Prediction): string {
  if (p.label !== undefined) return `${p.label} (p = ${digits(p.probability!)})`;
  return Object.entries(p.values).map(([name, value]) => `${name} = ${digits(value)}`).join("  ");
}

export function runPredict(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { data: { type: "string" }, rows: { type: "string" }, json: { type: "boolean" } } });
  if (positionals.length !== 1) throw new UsageError("nnet predict needs exactly one MODEL.nnetmodel");
  if ((values.data === undefined) === (values.rows === undefined)) throw new UsageError("give the rows with either --data FILE.csv or --rows \"…\"");
  const loaded = readModelArg(positionals[0], values.json, io);
  if (typeof loaded === "number") return loaded;
  const { model } = loaded;
  let x;
  try {
    x = values.data !== undefined ? readFeatureTable(values.data, model, false).x : parseRowsArgument(values.rows!, model);
  } catch (failure) {
    if (failure instanceof TableError) return reporter(values.json, io)(failure.message), exit.problems;
    throw failure;
  }
  const predictions = readPredictions(model, predictRaw(model, networkOf(model), x));
  predictions.forEach((p, i) => {
    if (values.json) io.out(JSON.stringify({ row: i + 1, ...(p.label !== undefined ? { label: p.label, probability: p.probability, probabilities: p.values } : { values: p.values }) }) + "\n");
    else io.out(predictionLine(p) + "\n");
  });
  return exit.ok;
}

export const predictCommand: Command = { name: "predict", summary: "predict with a saved model", usage: predictUsage, run: (args, io) => runPredict(args, io) };
