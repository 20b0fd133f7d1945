/** `nnet check FILE…`: every diagnostic of every file, as text or JSON. */
import { parseArgs } from "node:util";
import { analyze, diagnosticLine, LineIndex, type Diagnostic } from "../language/index";
import { dirname, resolve } from "node:path";
import { guardedFiles } from "../training/index";
import { loadSource } from "./files";
import { exit, UsageError, type Command, type Io } from "./registry";

export interface JsonDiagnostic {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: Diagnostic["severity"];
  code: string;
  message: string;
}

export const checkUsage = `Usage: nnet check [--json] [--train] [--workspace DIR] FILE…

Checks .nnet files and prints one line per problem:
  FILE:LINE:COL: SEVERITY CODE: MESSAGE      (1-based line and column; the column
                                             counts Unicode code points, as Vim and Emacs do)

Options:
  --json                      print a JSON array of { file, range, severity, code, message }
                              (0-based lines and characters in UTF-16 units, as in LSP)
  --train                     check as before training: a missing data entry is an error
  --workspace DIR             data files must lie inside DIR (default: each FILE's folder)
  --allow-outside-workspace   read data files anywhere
  -h, --help                  show this help

Exit codes: 0 no errors, 1 errors found, 2 bad usage or an unreadable file.`;

interface Found {
  json: JsonDiagnostic;
  text: string;
}

function found(file: string, lines: LineIndex, diagnostic: Diagnostic): Found {
  const json = { file, range: lines.range(diagnostic.span), severity: diagnostic.severity, code: diagnostic.code, message: diagnostic.message };
  return { json, text: diagnosticLine(file, lines, diagnostic) };
}

export function runCheck(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    json: { type: "boolean" }, train: { type: "boolean" }, workspace: { type: "string" }, "allow-outside-workspace": { type: "boolean" },
  } });
  if (positionals.length === 0) throw new UsageError("nnet check needs at least one FILE");
  const all: Found[] = [];
  let unreadable = false;
  for (const file of positionals) {
    const source = loadSource(file);
    if (!source.ok) {
      io.err(`nnet: ${source.message}\n`);
      unreadable = true;
      continue;
    }
    const lines = new LineIndex(source.text);
    // the same workspace rule as nnet train: a .nnet file is untrusted and may not read data from anywhere
    const files = guardedFiles({ root: values.workspace ? resolve(values.workspace) : dirname(source.path), allowOutsideWorkspace: values["allow-outside-workspace"] ?? false });
    const analysis = analyze(source.text, { path: source.path, files, forTraining: values.train ?? false });
    all.push(...analysis.diagnostics.map((diagnostic) => found(file, lines, diagnostic)));
  }
  if (values.json) io.out(JSON.stringify(all.map((item) => item.json), null, 2) + "\n");
  else for (const item of all) io.out(item.text + "\n");
  if (unreadable) return exit.usage;
  return all.some((item) => item.json.severity === "error") ? exit.problems : exit.ok;
}

export const checkCommand: Command = { name: "check", summary: "check .nnet files and print their problems", usage: checkUsage, run: runCheck };
