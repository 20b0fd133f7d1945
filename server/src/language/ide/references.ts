/** Go to definition, find references and rename for layer, input and network names. */
import { keywords } from "../syntax/index";
import type { NetworkModel } from "../semantics/index";
import type { IdeDocument } from "./document";
import { targetAt } from "./locate";
import type { RenameResult, Span } from "./types";

interface Occurrences {
  declaration: Span;
  uses: Span[];
  network: NetworkModel;
  kind: "layer" | "input" | "network";
}

/** Uses of a name as a layer input, skipping the implicit `from` of a dense layer. */
function usesOf(network: NetworkModel, name: string): Span[] {
  return network.layers.flatMap((layer) => (layer.implicitFrom ? [] : layer.inputs))
    .filter((input) => input.target === name)
    .map((input) => input.name.span);
}

function occurrencesAt(document: IdeDocument, offset: number): Occurrences | undefined {
  const target = targetAt(document, offset);
  if (!target) return undefined;
  const network = target.network;
  if (target.kind === "network") return { declaration: target.span, uses: [], network, kind: "network" };
  if (target.kind === "layer" && target.layer.entry.name) {
    return { declaration: target.layer.entry.name.span, uses: usesOf(network, target.layer.name), network, kind: "layer" };
  }
  if (target.kind === "input" && target.input.entry.name) {
    return { declaration: target.input.entry.name.span, uses: usesOf(network, target.input.name), network, kind: "input" };
  }
  return undefined;
}

export function definition(document: IdeDocument, offset: number): Span | undefined {
  return occurrencesAt(document, offset)?.declaration;
}

export function references(document: IdeDocument, offset: number, includeDeclaration: boolean): Span[] {
  const found = occurrencesAt(document, offset);
  if (!found) return [];
  return includeDeclaration ? [found.declaration, ...found.uses] : found.uses;
}

export function prepareRename(document: IdeDocument, offset: number): { span: Span; placeholder: string } | undefined {
  const found = occurrencesAt(document, offset);
  if (!found) return undefined;
  const target = targetAt(document, offset)!;
  return { span: target.span, placeholder: document.text.slice(target.span.start, target.span.end) };
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

function nameProblem(found: Occurrences, document: IdeDocument, newName: string): string | undefined {
  if (!identifier.test(newName)) return `'${newName}' is not a name: use letters, digits and '_', starting with a letter or '_'`;
  if ((keywords as readonly string[]).includes(newName)) return `'${newName}' is a keyword of the language`;
  const current = document.text.slice(found.declaration.start, found.declaration.end);
  if (newName === current) return undefined;
  if (found.kind === "network") {
    return document.analysis.model.networks.some((network) => network.name === newName) ? `a network named '${newName}' already exists` : undefined;
  }
  const taken = found.network.layerByName.has(newName) || found.network.input?.name === newName;
  return taken ? `network '${found.network.name ?? ""}' already has a layer or input named '${newName}'` : undefined;
}

export function rename(document: IdeDocument, offset: number, newName: string): RenameResult {
  const found = occurrencesAt(document, offset);
  if (!found) return { error: "only layer, input and network names can be renamed" };
  const problem = nameProblem(found, document, newName);
  if (problem) return { error: problem };
  return { edits: [found.declaration, ...found.uses].map((span) => ({ span, newText: newName })) };
}
