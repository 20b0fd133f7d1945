/**
 * `analyze(text)`: parse, resolve every network, run the checks, and compile
 * the error-free networks to the engine's specs. Never throws.
 */
import type * as ast from "../syntax/ast";
import { parse } from "../syntax/parse";
import { networkChecks, type Accept, type CheckContext } from "./checks";
import { closest } from "../suggest";
import { gradcheckSpec, networkSpec, trainSpec } from "./compile";
import type { Diagnostic, FileAccess, Model, NetworkModel } from "./model";
import { resolveNetwork } from "./resolve";

export interface AnalyzeOptions {
  /** the .nnet file's path, for resolving CSV paths */
  path?: string;
  files?: FileAccess;
  /** the user asked to train: a missing data entry is an error */
  forTraining?: boolean;
}

export interface Analysis {
  parse: ast.ParseResult;
  model: Model;
  diagnostics: Diagnostic[];
}

/** Past this many, a file's diagnostics say nothing more useful and would swamp an editor. */
export const maxDiagnostics = 1000;

const contains = (outer: ast.Span, inner: ast.Span): boolean => inner.start >= outer.start && inner.start <= outer.end;

function checkNetwork(network: NetworkModel, context: CheckContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  const accept: Accept = (severity, code, span, message, extra) => {
    found.push({ code, severity, span, message, ...(extra?.related ? { related: extra.related } : {}), ...(extra?.fixes ? { fixes: extra.fixes } : {}) });
  };
  for (const check of networkChecks) {
    try {
      check.run(network, accept, context);
    } catch (failure) {
      accept("error", "nnet/internal", network.ast.keyword, `the ${check.name} check failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }
  return found;
}

function duplicateNetworks(networks: NetworkModel[]): Diagnostic[] {
  const seen = new Map<string, ast.Span>();
  const found: Diagnostic[] = [];
  for (const network of networks) {
    const name = network.ast.name;
    if (!name) continue;
    const first = seen.get(name.text);
    if (first) {
      found.push({ code: "nnet/duplicate-name", severity: "error", span: name.span, message: `a network named '${name.text}' is already declared in this file; rename this one`, related: [{ message: "first declared here", span: first }] });
    } else seen.set(name.text, name.span);
  }
  return found;
}

function compile(network: NetworkModel): void {
  if (network.hasErrors || !network.input || !network.loss || network.layers.length === 0) return;
  network.spec = networkSpec(network);
  network.train = trainSpec(network);
  network.gradcheck = gradcheckSpec(network);
}

function analyzeUnsafe(text: string, options: AnalyzeOptions): Analysis {
  const parsed = parse(text);
  const context: CheckContext = { text, forTraining: options.forTraining ?? false };
  const networks = parsed.ast.networks.map((network) => resolveNetwork(network, { path: options.path, files: options.files }));
  const syntax: Diagnostic[] = parsed.errors.map((error) => ({
    code: "nnet/syntax",
    severity: "error",
    span: error.span,
    message: error.message,
    ...(error.suggestion ? { fixes: [{ title: `Change to '${error.suggestion}'`, edits: [{ span: error.span, newText: error.suggestion }] }] } : {}),
  }));
  const diagnostics = [...syntax, ...duplicateNetworks(networks)];
  for (const network of networks) {
    const found = checkNetwork(network, context);
    diagnostics.push(...found);
    // a layer cut short (no body, no units) always has an error, but a syntax error may sit just past this network, on a following 'network'
    network.hasErrors = found.some((d) => d.severity === "error") || syntax.some((d) => contains(network.ast.span, d.span))
      || network.layers.some((layer) => layer.kind === undefined || layer.units === undefined);
    compile(network);
  }
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return { parse: parsed, model: { networks }, diagnostics: diagnostics.slice(0, maxDiagnostics) };
}

/** Parse and check a whole .nnet text. Never throws. */
export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  try {
    return analyzeUnsafe(text, options);
  } catch (failure) {
    const parsed = parse(text);
    const message = `the checker failed: ${failure instanceof Error ? failure.message : String(failure)}`;
    return { parse: parsed, model: { networks: [] }, diagnostics: [{ code: "nnet/internal", severity: "error", span: { start: 0, end: 0 }, message }] };
  }
}

/** The network a command means: the named one, or the first. */
export function findNetwork(model: Model, name?: string): NetworkModel | undefined {
  return name === undefined ? model.networks[0] : model.networks.find((network) => network.name === name);
}

/** Every network of that name: more than one makes the name ambiguous to a command that picks by name. */
export function networksNamed(model: Model, name: string): NetworkModel[] {
  return model.networks.filter((network) => network.name === name);
}

/** The diagnostics that lie inside one network, for a command that runs only that network. */
export function diagnosticsOf(analysis: Analysis, network: NetworkModel): Diagnostic[] {
  return analysis.diagnostics.filter((diagnostic) => contains(network.ast.span, diagnostic.span));
}

/** Suggest a network name for a command-line typo. */
export const closestNetwork = (model: Model, name: string): string | undefined =>
  closest(name, model.networks.map((network) => network.name ?? ""));
