/** One analysed text version: what every IDE answer is computed from. */
import type { NetworkSpec } from "../../engine/index";
import { analyze, networkSpec, type Analysis, type FileAccess, type NetworkModel } from "../semantics/index";
import type { Span } from "../syntax/index";
import { graphOf } from "./deltas/index";

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

const specs = new WeakMap<NetworkModel, NetworkSpec | null>();

/**
 * The NetworkSpec hovers are generated from: the compiled one, or for a
 * network whose errors lie elsewhere (data, train) one compiled the same way
 * as soon as every layer's shape is known.
 */
export function specOf(network: NetworkModel): NetworkSpec | undefined {
  if (network.spec) return network.spec;
  const cached = specs.get(network);
  if (cached !== undefined) return cached ?? undefined;
  const complete = network.name !== undefined && network.input?.units !== undefined && network.loss !== undefined
    && network.layers.length > 0
    // references are by name: a name declared twice (a layer named like the input) could compile to a cycle
    && new Set([network.input.name, ...network.layers.map((layer) => layer.name)]).size === network.layers.length + 1
    && network.layers.every((layer) => layer.kind !== undefined && layer.units !== undefined && layer.inputs.length > 0
      && layer.inputs.every((input) => input.target !== undefined)
      && (layer.kind !== "dense" || (layer.activation !== undefined && layer.init !== undefined)));
  // a spec the engine cannot plan (a layer reading one declared after it) gets no hover
  const spec = complete ? safely(() => planned(networkSpec(network))) : undefined;
  specs.set(network, spec ?? null);
  return spec;
}

function planned(spec: NetworkSpec): NetworkSpec {
  graphOf(spec);
  return spec;
}

function safely<T>(build: () => T): T | undefined {
  try {
    return build();
  } catch {
    return undefined;
  }
}
