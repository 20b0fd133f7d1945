/** `nnet summary FILE`: the Keras-style table of a network's layers, units and parameters. */
import { parseArgs } from "node:util";
import { analyze, closestNetwork, diagnosticLine, findNetwork, LineIndex, networkSummary } from "../language/index";
import type { NetworkSummary } from "../protocol/index";
import { dirname, resolve } from "node:path";
import { ambiguousNetwork, guardedFiles } from "../training/index";
import { loadSource } from "./files";
import { looksLikeModel, readModelArg } from "./model-arg";
import { describe, provenance, specSummary } from "../model/index";
import { exit, UsageError, type Command, type Io } from "./registry";

export const summaryUsage = `Usage: nnet summary (FILE | MODEL.nnetmodel) [--network NAME] [--json] [--workspace DIR]

Prints each layer of a network (the first one unless --network names it):
its kind, inputs, units, activation and parameter count, with the totals.
For a model file, also its features, classes, training and source.

Options:
  --network NAME              the network to describe
  --json                      print the summary as JSON (NetworkSummary)
  --workspace DIR             data files must lie inside DIR (default: FILE's folder)
  --allow-outside-workspace   read data files anywhere
  -h, --help                  show this help

Exit codes: 0 printed, 1 the file has errors (printed to stderr first),
2 bad usage, an unreadable file or an unknown network.`;

function table(summary: NetworkSummary): string {
  const header = ["layer", "kind", "from", "units", "activation", "params"];
  const rows = summary.layers.map((layer) => [
    layer.name, layer.kind, layer.from.join(", ") || "-", String(layer.units), layer.activation ?? "-", layer.params.toLocaleString("en-US"),
  ]);
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c >= 3 && c !== 4 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ").trimEnd();
  const rule = "─".repeat(widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1));
  return [
    `network ${summary.network} (loss ${summary.loss})`,
    rule, line(header), rule, ...rows.map(line), rule,
    `total parameters: ${summary.totalParams.toLocaleString("en-US")}`,
  ].join("\n");
}

export function runSummary(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    json: { type: "boolean" }, network: { type: "string" }, workspace: { type: "string" }, "allow-outside-workspace": { type: "boolean" },
  } });
  if (positionals.length !== 1) throw new UsageError("nnet summary needs exactly one FILE");
  if (looksLikeModel(positionals[0])) return modelSummary(positionals[0], values.json, io);
  const source = loadSource(positionals[0]);
  if (!source.ok) return io.err(`nnet: ${source.message}\n`), exit.usage;
  const analysis = analyze(source.text, { path: source.path, files: guardedFiles({ root: values.workspace ? resolve(values.workspace) : dirname(source.path), allowOutsideWorkspace: values["allow-outside-workspace"] ?? false }) });
  const ambiguous = ambiguousNetwork(source.text, analysis.model, values.network, positionals[0]);
  if (ambiguous) return io.err(`nnet: ${ambiguous}\n`), exit.usage;
  const network = findNetwork(analysis.model, values.network);
  if (!network) {
    const names = analysis.model.networks.map((candidate) => candidate.name).join(", ") || "none";
    const suggestion = values.network ? closestNetwork(analysis.model, values.network) : undefined;
    io.err(`nnet: ${positionals[0]}: no network ${values.network ? `named '${values.network}'` : "in the file"}${suggestion ? `; did you mean '${suggestion}'?` : ""} (networks: ${names})\n`);
    return exit.usage;
  }
  const lines = new LineIndex(source.text);
  const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  for (const error of errors) io.err(`${diagnosticLine(positionals[0]!, lines, error)}\n`);
  const summary = networkSummary(network);
  io.out(values.json ? JSON.stringify(summary, null, 2) + "\n" : table(summary) + "\n");
  return errors.length > 0 ? exit.problems : exit.ok;
}

function modelSummary(file: string, json: boolean | undefined, io: Io): number {
  const loaded = readModelArg(file, json, io);
  if (typeof loaded === "number") return loaded;
  const summary = specSummary(loaded.model.network);
  if (json) {
    const { history: _h, network: _n, ...about } = describe(loaded.model);
    io.out(JSON.stringify({ ...summary, model: about }, null, 2) + "\n");
  } else io.out([table(summary), ...provenance(loaded.model)].join("\n") + "\n");
  return exit.ok;
}

export const summaryCommand: Command = { name: "summary", summary: "print a network's layers, units and parameters", usage: summaryUsage, run: runSummary };
