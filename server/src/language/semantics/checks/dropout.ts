/** Dropout layers: a rate in [0, 1), and never the output. */
import type { NetworkModel } from "../model";
import { dropoutRate } from "../catalog";
import { rangeIssue } from "../ranges";
import { replace, type NetworkCheck } from "./registry";

// 20 for 20 %: a percentage is the likeliest slip, so offer the fraction
function percentFix(value: number, span: { start: number; end: number }) {
  if (!(value > 1 && value < 100)) return undefined;
  const fraction = String(Number((value / 100).toPrecision(12)));
  return [replace(`Change to ${fraction} (${value} %)`, span, fraction)];
}

export const dropoutLayers: NetworkCheck = {
  name: "dropout",
  run(network: NetworkModel, accept) {
    for (const layer of network.layers) {
      const body = layer.entry.body;
      if (body?.kind !== "dropout") continue;
      if (body.rate) {
        const issue = rangeIssue(dropoutRate.range!, body.rate.value, `the dropout rate of '${layer.name}'`, body.rate.text, dropoutRate.doc);
        if (issue) accept("error", issue.code, body.rate.span, issue.message, { fixes: percentFix(body.rate.value, body.rate.span) });
      }
      if (layer === network.output) {
        accept("error", "nnet/dropout-output", body.keyword,
          `dropout '${layer.name}' is the last layer, so it would be the output and drop predictions at random while training; put a dense output layer after it, or remove it`,
          { fixes: [{ title: `Remove the dropout layer '${layer.name}'`, edits: [{ span: layer.entry.span, newText: "" }] }] });
      }
    }
  },
};
