/** Entries a network must have once, and names it must not repeat. */
import type * as ast from "../../syntax/ast";
import type { NetworkModel } from "../model";
import { indentAt, type Accept, type CheckContext, type NetworkCheck } from "./registry";

const nameSpan = (network: NetworkModel): ast.Span => network.ast.name?.span ?? network.ast.keyword;

function duplicates(entries: ast.Entry[], what: string, accept: Accept): void {
  for (const extra of entries.slice(1)) {
    accept("error", "nnet/duplicate-entry", extra.keyword, `a second ${what} entry; a network has one ${what}. Remove this one or merge it into the first`, {
      related: [{ message: `the first ${what} entry`, span: entries[0].keyword }],
      fixes: [{ title: `Remove the second ${what} entry`, edits: [{ span: extra.span, newText: "" }] }],
    });
  }
}

export const entryCounts: NetworkCheck = {
  name: "entry-counts",
  run(network, accept) {
    if (network.inputs.length === 0) {
      accept("error", "nnet/missing-input", nameSpan(network), `network '${network.name ?? ""}' has no input; add 'input x: UNITS' before its first layer`);
    }
    if (network.layers.length === 0 && network.ast.name) {
      accept("error", "nnet/no-layers", nameSpan(network), `network '${network.name}' has no layers; the last layer declared is the output, so add at least 'layer out: dense UNITS'`);
    }
    if (network.losses.length === 0 && network.ast.name) {
      accept("error", "nnet/missing-loss", nameSpan(network), `network '${network.name}' has no loss; add one such as 'loss mse' or 'loss cross_entropy'`);
    }
    duplicates(network.inputs, "input", accept);
    duplicates(network.losses, "loss", accept);
    duplicates(network.dataEntries, "data", accept);
    duplicates(network.trainBlocks, "train", accept);
    duplicates(network.gradcheckBlocks, "gradcheck", accept);
  },
};

export const emptyEntries: NetworkCheck = {
  name: "empty-entries",
  run(network, accept) {
    for (const entry of network.losses) {
      if (!entry.loss?.name) accept("error", "nnet/missing-value", entry.keyword, "'loss' needs a name: mse, binary_cross_entropy or cross_entropy");
    }
    for (const entry of network.dataEntries) {
      if (!entry.source) accept("error", "nnet/missing-value", entry.keyword, "'data' needs a source: a generator such as spiral(samples: 400), iris, csv(\"file.csv\", target: \"y\") or { rows }");
    }
  },
};

export const duplicateNames: NetworkCheck = {
  name: "duplicate-names",
  run(network, accept) {
    const seen = new Map<string, ast.Span>();
    const inputName = network.input?.entry.name;
    if (inputName) seen.set(inputName.text, inputName.span);
    for (const layer of network.layers) {
      const name = layer.entry.name!;
      const first = seen.get(name.text);
      if (first) {
        accept("error", "nnet/duplicate-name", name.span, `'${name.text}' is already declared in this network; give this layer another name`, {
          related: [{ message: `'${name.text}' is first declared here`, span: first }],
        });
      } else seen.set(name.text, name.span);
    }
  },
};

/** A source whose shape fits the network, so the inserted entry checks clean where one exists. */
function fittingSource(network: NetworkModel): string {
  const features = network.input?.units;
  const targets = network.output?.units;
  if (features === 1) return "sine(samples: 200)";
  if (features === 4 && targets === 3) return "iris";
  if (features === 2 && targets !== undefined && targets > 2) return `spiral(samples: 400, classes: ${targets})`;
  return "spiral(samples: 400, noise: 0.1)";
}

export const missingData: NetworkCheck = {
  name: "missing-data",
  run(network, accept, context: CheckContext) {
    if (network.dataEntries.length > 0 || !network.ast.name) return;
    const last = network.ast.entries[network.ast.entries.length - 1];
    const source = fittingSource(network);
    const fixes = last
      ? [{ title: `Add 'data ${source}'`, edits: [{ span: { start: last.span.end, end: last.span.end }, newText: `\n${indentAt(context.text, last.span.start)}data ${source}` }] }]
      : undefined;
    const severity = context.forTraining ? "error" : "hint";
    accept(severity, "nnet/missing-data", nameSpan(network), `network '${network.name}' has no data entry, so it cannot be trained; add one such as 'data ${source}'`, { fixes });
  },
};
