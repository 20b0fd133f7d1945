/** One analysed text version: what every IDE answer is computed from. */
import type { NetworkSpec } from "../../engine/index";
import { analyze, networkSpec, type Analysis, type FileAccess, type NetworkModel } from "../semantics/index";
import type { Span } from "../syntax/index";
import { graphOf } from "../formula/index";

export interface IdeDocument {
  uri: string;
  version: number;
  text: string;
  path?: string;
  analysis: Analysis;
}

export interface DocumentSource {
  uri: string;
  version: number;
  text: string;
  path?: string;
  files?: FileAccess;
}

export function analyzeDocument(source: DocumentSource): IdeDocument {
  const analysis = analyze(source.text, { ...(source.path ? { path: source.path } : {}), ...(source.files ? { files: source.files } : {}) });
  return { uri: source.uri, version: source.version, text: source.text, ...(source.path ? { path: source.path } : {}), analysis };
}

export const within = (span: Span | undefined, offset: number): boolean =>
  span !== undefined && offset >= span.start && offset <= span.end;

export function networkAt(document: IdeDocument, offset: number): NetworkModel | undefined {
  return document.analysis.model.networks.find((network) => within(network.ast.span, offset));
}

type Compiled = { spec: NetworkSpec } | { planError: string } | undefined;
const compiled = new WeakMap<NetworkModel, { result: Compiled }>();

/**
 * The NetworkSpec hovers are generated from: the compiled one, or for a
 * network whose errors lie elsewhere (data, train) one compiled the same way
 * as soon as every layer's shape is known.
 */
export function specOf(network: NetworkModel): NetworkSpec | undefined {
  const result = compile(network);
  return result && "spec" in result ? result.spec : undefined;
}

/** Why the engine cannot plan a network whose every layer's shape is known (a layer reading one declared after it), in the engine's words. */
export function planError(network: NetworkModel): string | undefined {
  const result = compile(network);
  return result && "planError" in result ? result.planError : undefined;
}

function compile(network: NetworkModel): Compiled {
  if (network.spec) return { spec: network.spec };
  let cached = compiled.get(network);
  if (!cached) compiled.set(network, (cached = { result: compileComplete(network) }));
  return cached.result;
}

function compileComplete(network: NetworkModel): Compiled {
  const complete = network.name !== undefined && network.input?.units !== undefined && network.loss !== undefined
    && network.layers.length > 0
    // references are by name: a name declared twice (a layer named like the input) could compile to a cycle
    && new Set([network.input.name, ...network.layers.map((layer) => layer.name)]).size === network.layers.length + 1
    && network.layers.every((layer) => layer.kind !== undefined && layer.units !== undefined && layer.inputs.length > 0
      && layer.inputs.every((input) => input.target !== undefined)
      && (layer.kind !== "dense" || (layer.activation !== undefined && layer.init !== undefined)));
  if (!complete) return undefined;
  let spec: NetworkSpec;
  try {
    spec = networkSpec(network);
  } catch {
    return undefined;
  }
  try {
    graphOf(spec);
    return { spec };
  } catch (error) {
    return { planError: error instanceof Error ? error.message : String(error) };
  }
}
