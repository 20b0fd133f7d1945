/**
 * From a .nnet text to a job the worker can run: analyse it as for training
 * (a missing data entry is an error), pick the network, refuse with the
 * checker's errors at FILE:LINE:COL, and check that a CSV file may be read
 * before any worker starts.
 */
import { dirname } from "node:path";
import {
  analyze, closestNetwork, diagnosticLine, findNetwork, networksNamed, LineIndex, networkSummary, type Diagnostic, type Model, type NetworkModel,
} from "../language/index";
import type { NetworkSummary } from "../protocol/index";
import { checkDataFile, DataFileError, guardedFiles, type DataFileOptions, type WorkspaceFiles } from "./data-files";
import type { DataRequest, JobKind, JobRequest } from "./messages";

export interface CompileInput {
  text: string;
  /** the .nnet file on disk; CSV paths are relative to it */
  path?: string;
  /** how the file is named in messages (default: path) */
  displayName?: string;
  network?: string;
  kind: JobKind;
  files?: DataFileOptions;
  /** overrides of the file's train settings */
  epochs?: number;
  seed?: number;
  /** an upper bound on epochs (the editor's setting) */
  maxEpochs?: number;
  /** threads for the large matrix products (`--threads`, the nnet.train.threads setting) */
  threads?: number;
  gradcheckAfter?: boolean;
  epsilon?: number;
  tolerance?: number;
}

export type Compiled =
  | { ok: true; request: JobRequest; model: NetworkModel; summary: NetworkSummary; warnings: string[] }
  /** `usage`: the command named no usable network; otherwise the file has errors (`errors`, when the checker found them) */
  | { ok: false; usage: boolean; problems: string[]; network?: string; errors?: CheckerError[] };

/** One checker error of the network, where the editor can show it (0-based line, UTF-16 character). */
export interface CheckerError {
  line: number;
  character: number;
  code: string;
  message: string;
}

const within = (model: NetworkModel, d: Diagnostic): boolean => d.span.start >= model.ast.span.start && d.span.start <= model.ast.span.end;

function dataRequest(model: NetworkModel, files: WorkspaceFiles): DataRequest {
  const data = model.data!;
  const spec = data.spec!;
  if (spec.kind !== "csv" || !data.csv) return { spec };
  const labels = data.labels ?? [];
  const targetKind = data.targetKind ?? (spec.classes !== undefined ? "classes" : "regression");
  return {
    spec, files,
    csv: {
      shown: data.csv.written, targets: data.csv.targets, ...(data.csv.features ? { features: data.csv.features } : {}), targetKind,
      ...(targetKind === "classes" ? { labels } : {}), ...(spec.classes !== undefined ? { classes: spec.classes } : {}),
    },
  };
}

function refusedData(model: NetworkModel, files: WorkspaceFiles): string | undefined {
  const spec = model.data?.spec;
  if (spec?.kind !== "csv") return undefined;
  const shown = model.data?.csv?.written ?? spec.path;
  try {
    checkDataFile(spec.path, shown, files);
    // said here because the checker sees a header-only file as one with no targets
    return model.data?.rows === 0 ? `the data file '${shown}' has a header but no data rows` : undefined;
  } catch (failure) {
    if (failure instanceof DataFileError) return failure.message;
    throw failure;
  }
}

// This network's diagnostics of one severity: another network's errors do not stop it.
function diagnosticsOf(input: CompileInput, model: NetworkModel, diagnostics: Diagnostic[], severity: Diagnostic["severity"]): string[] {
  const lines = new LineIndex(input.text);
  const name = input.displayName ?? input.path ?? "document";
  return diagnostics.filter((d) => d.severity === severity && within(model, d)).map((d) => diagnosticLine(name, lines, d));
}

function structuredErrors(input: CompileInput, model: NetworkModel, diagnostics: Diagnostic[]): CheckerError[] {
  const lines = new LineIndex(input.text);
  return diagnostics.filter((d) => d.severity === "error" && within(model, d))
    .map((d) => ({ ...lines.position(d.span.start), code: d.code, message: d.message }));
}

function checkerErrors(input: CompileInput, model: NetworkModel, diagnostics: Diagnostic[]): string[] {
  const errors = diagnosticsOf(input, model, diagnostics, "error");
  return errors.length > 0 ? errors : [`${input.displayName ?? input.path ?? "document"}: network '${model.name}' cannot be trained`];
}

function missingNetwork(input: CompileInput, names: string[], suggestion: string | undefined): Compiled {
  const name = input.displayName ?? input.path ?? "the document";
  const what = input.network ? `no network named '${input.network}'` : "no network in the file";
  const hint = suggestion ? `; did you mean '${suggestion}'?` : "";
  return { ok: false, usage: true, problems: [`${name}: ${what}${hint} (networks: ${names.join(", ") || "none"})`] };
}

/**
 * Refuses a network name that two networks share, naming their lines: picking the first
 * would run a network the user may not have meant, with no sign of it.
 */
export function ambiguousNetwork(text: string, model: Model, name: string | undefined, displayName: string): string | undefined {
  const named = name === undefined ? [] : networksNamed(model, name);
  if (named.length < 2) return undefined;
  const lines = new LineIndex(text);
  const at = named.map((network) => lines.position(network.ast.span.start).line + 1);
  return `${displayName}: ${named.length} networks are named '${name}' (lines ${at.slice(0, -1).join(", ")} and ${at[at.length - 1]}); rename one of them so that the name picks one network`;
}

// 0 or a fraction would "complete" a run that trained nothing, or not what was asked
function badOverride(input: CompileInput): string | undefined {
  const checks: [string, number | undefined, number][] = [
    ["maxEpochs (the nnet.train.maxEpochs setting)", input.maxEpochs, 1], ["epochs", input.epochs, 1], ["seed", input.seed, 0],
    ["threads (the nnet.train.threads setting)", input.threads, 1],
  ];
  for (const [name, value, minimum] of checks) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= minimum)) return `${name} must be a whole number ≥ ${minimum}, got ${value}`;
  }
  return undefined;
}

export function compileJob(input: CompileInput): Compiled {
  const bad = badOverride(input);
  if (bad) return { ok: false, usage: true, problems: [bad] };
  const files: WorkspaceFiles = { ...input.files, root: input.files?.root ?? (input.path ? dirname(input.path) : process.cwd()) };
  const checkerFiles = guardedFiles(files);
  const analysis = analyze(input.text, { ...(input.path ? { path: input.path } : {}), files: checkerFiles, forTraining: true });
  // with no name the first network runs: its name must pick it alone, as a written one must
  const chosen = input.network ?? analysis.model.networks[0]?.name;
  const ambiguous = ambiguousNetwork(input.text, analysis.model, chosen, input.displayName ?? input.path ?? "the document");
  if (ambiguous) return { ok: false, usage: true, problems: [ambiguous] };
  const model = findNetwork(analysis.model, input.network);
  if (!model) return missingNetwork(input, analysis.model.networks.map((n) => n.name ?? "?"), input.network ? closestNetwork(analysis.model, input.network) : undefined);
  const refused = refusedData(model, files);
  if (refused) return { ok: false, usage: false, problems: [refused] };
  if (model.hasErrors || !model.spec || !model.train || !model.gradcheck || !model.data?.spec) {
    return {
      ok: false, usage: false, problems: checkerErrors(input, model, analysis.diagnostics),
      ...(model.name ? { network: model.name } : {}), errors: structuredErrors(input, model, analysis.diagnostics),
    };
  }
  const epochs = Math.min(input.epochs ?? model.train.epochs, input.maxEpochs ?? Infinity);
  const request: JobRequest = {
    kind: input.kind,
    network: model.spec,
    train: { ...model.train, epochs, seed: input.seed ?? model.train.seed },
    gradcheck: { ...model.gradcheck, ...(input.epsilon !== undefined ? { epsilon: input.epsilon } : {}), ...(input.tolerance !== undefined ? { tolerance: input.tolerance } : {}) },
    data: dataRequest(model, files),
    ...(input.gradcheckAfter ? { gradcheckAfter: true } : {}),
    ...(input.threads !== undefined ? { threads: input.threads } : {}),
  };
  return { ok: true, request, model, summary: networkSummary(model), warnings: diagnosticsOf(input, model, analysis.diagnostics, "warning") };
}
