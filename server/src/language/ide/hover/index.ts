/** Hover: what the cursor is on, explained from the compiled NetworkSpec (ARCHITECTURE invariant 3). */
import type { ActivationName } from "../../../engine/index";
import { activations, losses, lookup, type NetworkModel } from "../../semantics/index";
import { realSpace } from "../../formula/index";
import { planError, specOf, within, type IdeDocument } from "../document";
import { LineIndex } from "../../line-index";
import { targetAt, type Target } from "../locate";
import type { DocumentRuns } from "../run";
import type { Hover } from "../types";
import { layerHover } from "./layer";
import { activationHover, calledNameHover, dataHover, lossHover, settingHover, unitsHover } from "./names";
import { networkHover, unplannedNetworkHover } from "./network";
import { optimizerHover, scheduleHover, stopEarlyHover } from "./training";
import { partialLayerHover } from "./partial";


function batchOf(target: Target): number | undefined {
  const batch = target.network.train?.batch;
  return typeof batch === "number" ? batch : undefined;
}

/** The checker's errors inside a network, with their 1-based lines. */
function networkErrors(document: IdeDocument, network: NetworkModel): { line: number; message: string }[] {
  const lines = new LineIndex(document.text);
  return document.analysis.diagnostics
    .filter((d) => d.severity === "error" && within(network.ast.span, d.span.start))
    .map((d) => ({ line: lines.position(d.span.start).line + 1, message: d.message }));
}

function markdownFor(document: IdeDocument, target: Target, runs: DocumentRuns | undefined): string | undefined {
  const spec = specOf(target.network);
  const run = target.network.name !== undefined ? runs?.get(target.network.name) : undefined;
  switch (target.kind) {
    case "network":
      return spec ? networkHover(spec, batchOf(target), run) : unplannedNetworkHover(target.network, networkErrors(document, target.network), planError(target.network));
    case "layer": {
      const text = spec ? layerHover(spec, target.layer.name, run) : undefined;
      return text ?? partialLayerHover(target.network, target.layer);
    }
    case "input":
      return `**input \`${target.input.name}\`** — a⁰ = x ∈ ${target.input.units === undefined ? "ℝ^(?)" : realSpace(target.input.units)}, the raw feature vector`;
    case "activation": {
      const info = lookup(activations, target.call.name?.text ?? "");
      return info ? activationHover(info.name as ActivationName, target.layer, target.layer.activation?.alpha) : undefined;
    }
    case "loss": {
      const info = lookup(losses, target.call.name?.text ?? "");
      return info ? lossHover(info.name, spec, target.network.output?.name) : undefined;
    }
    case "units":
      return unitsHover(target.network, target.layer);
    case "data":
      return dataHover(target.data, target.entry.source?.kind === "call" ? target.entry.source.name?.text : undefined);
    case "setting":
      if (target.block.kind === "train" && target.setting.key?.text === "stop_early") return stopEarlyHover();
      return target.setting.key ? settingHover(target.block.kind, target.setting.key.text) : undefined;
    case "init":
      return calledNameHover("init", target.call.name?.text ?? "");
    case "optimizer": {
      const name = target.call.name?.text ?? "";
      return optimizerHover(name, target.network.train) ?? scheduleHover(name, target.network.train);
    }
  }
}

export function hover(document: IdeDocument, offset: number, runs?: DocumentRuns): Hover | undefined {
  const target = targetAt(document, offset);
  if (!target) return undefined;
  const markdown = markdownFor(document, target, runs);
  return markdown ? { span: target.span, markdown } : undefined;
}
