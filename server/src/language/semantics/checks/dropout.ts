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

// the entry with its line, when nothing else shares the line
function wholeLine(text: string, span: { start: number; end: number }): { start: number; end: number } {
  const lineStart = text.lastIndexOf("\n", span.start - 1) + 1;
  const newline = text.indexOf("\n", span.end);
  const lineEnd = newline < 0 ? text.length : newline + 1;
  const alone = /^[ \t]*$/.test(text.slice(lineStart, span.start)) && /^[ \t]*\r?\n?$/.test(text.slice(span.end, lineEnd));
  return alone ? { start: lineStart, end: lineEnd } : span;
}

export const dropoutLayers: NetworkCheck = {
  name: "dropout",
  run(network: NetworkModel, accept, context) {
    for (const layer of network.layers) {
      const body = layer.entry.body;
      if (body?.kind !== "dropout") continue;
      if (body.rate) {
        const issue = rangeIssue(dropoutRate.range!, body.rate.value, `the dropout rate of '${layer.name}'`, body.rate.text, "the probability p that a unit is dropped; 1 would drop every unit");
        const fixes = percentFix(body.rate.value, body.rate.span);
        const hint = fixes ? `; for ${body.rate.text} % write ${fixes[0]!.edits[0]!.newText}` : "";
        if (issue) accept("error", "nnet/dropout-rate", body.rate.span, `${issue.message}${hint}`, { fixes });
      }
      if (layer === network.output) {
        accept("error", "nnet/dropout-output", body.keyword,
          `dropout '${layer.name}' is the last layer, so it would be the output and drop predictions at random while training; put a dense output layer after it, or remove it`,
          { fixes: [{ title: `Remove the dropout layer '${layer.name}'`, edits: [{ span: wholeLine(context.text, layer.entry.span), newText: "" }] }] });
      }
    }
  },
};
