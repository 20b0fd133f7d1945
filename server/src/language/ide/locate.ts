/** What the cursor is on, in the network's own terms. */
import type { DataModel, InputModel, LayerModel, NetworkModel } from "../semantics/index";
import type * as ast from "../syntax/index";
import { networkAt, within, type IdeDocument } from "./document";

export type Target =
  | { kind: "network"; network: NetworkModel; span: ast.Span }
  | { kind: "layer"; network: NetworkModel; layer: LayerModel; span: ast.Span; declaration: boolean }
  | { kind: "input"; network: NetworkModel; input: InputModel; span: ast.Span; declaration: boolean }
  | { kind: "activation"; network: NetworkModel; layer: LayerModel; call: ast.Call; span: ast.Span }
  | { kind: "init"; network: NetworkModel; layer: LayerModel; call: ast.Call; span: ast.Span }
  | { kind: "units"; network: NetworkModel; layer?: LayerModel; input?: InputModel; span: ast.Span }
  | { kind: "loss"; network: NetworkModel; call: ast.Call; span: ast.Span }
  | { kind: "data"; network: NetworkModel; data: DataModel | undefined; entry: ast.DataEntry; span: ast.Span }
  | { kind: "setting"; network: NetworkModel; block: ast.SettingsBlock; setting: ast.Setting; span: ast.Span }
  | { kind: "optimizer"; network: NetworkModel; call: ast.Call; span: ast.Span };

/** A name used as a layer input that names a layer or the input. */
function referenceTarget(network: NetworkModel, layer: LayerModel, offset: number): Target | undefined {
  if (layer.implicitFrom) return undefined;
  for (const input of layer.inputs) {
    if (!within(input.name.span, offset)) continue;
    const named = network.layerByName.get(input.name.text);
    if (named && input.target) return { kind: "layer", network, layer: named, span: input.name.span, declaration: false };
    if (network.input && input.target === network.input.name) {
      return { kind: "input", network, input: network.input, span: input.name.span, declaration: false };
    }
  }
  return undefined;
}

function inLayer(network: NetworkModel, layer: LayerModel, offset: number): Target | undefined {
  const entry = layer.entry;
  if (entry.name && within(entry.name.span, offset)) return { kind: "layer", network, layer, span: entry.name.span, declaration: true };
  const reference = referenceTarget(network, layer, offset);
  if (reference) return reference;
  const body = entry.body;
  if (body?.kind !== "dense") return undefined;
  if (body.units && within(body.units.span, offset)) return { kind: "units", network, layer, span: body.units.span };
  if (body.activation?.name && within(body.activation.name.span, offset)) {
    return { kind: "activation", network, layer, call: body.activation, span: body.activation.name.span };
  }
  if (body.init?.name && within(body.init.name.span, offset)) return { kind: "init", network, layer, call: body.init, span: body.init.name.span };
  return undefined;
}

function inSettings(network: NetworkModel, block: ast.SettingsBlock, offset: number): Target | undefined {
  for (const setting of block.settings) {
    if (setting.key && within(setting.key.span, offset)) return { kind: "setting", network, block, setting, span: setting.key.span };
    const value = setting.value;
    if (value?.kind === "call" && value.name && within(value.name.span, offset)) {
      return { kind: "optimizer", network, call: value, span: value.name.span };
    }
  }
  return undefined;
}

function inEntry(network: NetworkModel, entry: ast.Entry, offset: number): Target | undefined {
  switch (entry.kind) {
    case "input": {
      const input = network.input?.entry === entry ? network.input : undefined;
      if (input && entry.name && within(entry.name.span, offset)) return { kind: "input", network, input, span: entry.name.span, declaration: true };
      if (entry.units && within(entry.units.span, offset)) return { kind: "units", network, ...(input ? { input } : {}), span: entry.units.span };
      return undefined;
    }
    case "layer": {
      const layer = network.layers.find((each) => each.entry === entry);
      return layer ? inLayer(network, layer, offset) : undefined;
    }
    case "loss":
      return entry.loss?.name && within(entry.loss.name.span, offset) ? { kind: "loss", network, call: entry.loss, span: entry.loss.name.span } : undefined;
    case "data": {
      const source = entry.source;
      const span = source?.kind === "call" ? source.name?.span : source ? { start: source.span.start, end: source.span.start + 1 } : undefined;
      const data = network.data?.entry === entry ? network.data : undefined;
      return span && (within(span, offset) || within(entry.keyword, offset)) ? { kind: "data", network, data, entry, span: span } : undefined;
    }
    default:
      return inSettings(network, entry, offset);
  }
}

export function targetAt(document: IdeDocument, offset: number): Target | undefined {
  const network = networkAt(document, offset);
  if (!network) return undefined;
  if (network.ast.name && within(network.ast.name.span, offset)) return { kind: "network", network, span: network.ast.name.span };
  for (const entry of network.ast.entries) {
    if (!within(entry.span, offset)) continue;
    const found = inEntry(network, entry, offset);
    if (found) return found;
  }
  return undefined;
}
