/** The data source against the network's input and output. */
import type * as ast from "../../syntax/ast";
import type { Fix, NetworkModel } from "../model";
import { finite, rangeIssue } from "../ranges";
import { count, replace, type Accept, type NetworkCheck } from "./registry";

const sourceSpan = (entry: ast.DataEntry): ast.Span => (entry.source?.kind === "call" ? entry.source.name?.span ?? entry.source.span : entry.source?.span) ?? entry.keyword;

function outputUnitsFix(network: NetworkModel, targets: number): Fix[] | undefined {
  const body = network.output?.entry.body;
  if (body?.kind !== "dense" || !body.units) return undefined;
  return [replace(`Set the output units to ${targets}`, body.units.span, String(targets))];
}

function checkShapes(network: NetworkModel, accept: Accept): void {
  const data = network.data!;
  const span = sourceSpan(data.entry);
  const input = network.input;
  if (data.features !== undefined && input?.units !== undefined && data.features !== input.units) {
    accept("error", "nnet/data-features-mismatch", span,
      `the data has ${count(data.features, "feature")} per row but input '${input.name}' has ${count(input.units, "unit")}; set 'input ${input.name}: ${data.features}'`,
      { related: [{ message: `input '${input.name}' is declared here`, span: input.entry.span }], fixes: input.entry.units ? [replace(`Set the input units to ${data.features}`, input.entry.units.span, String(data.features))] : undefined });
  }
  const output = network.output;
  if (data.targets !== undefined && output?.units !== undefined && data.targets !== output.units) {
    const labelled = numericLabels(network);
    const what = data.labels?.length ? `${data.targets} classes (${data.labels.slice(0, 5).join(", ")}${data.labels.length > 5 ? ", …" : ""})` : `${count(data.targets, "target")} per row`;
    const fix = labelled ? `; ${labelled.advice}` : `; give the output ${count(data.targets, "unit")}`;
    accept("error", "nnet/data-targets-mismatch", span,
      `the data has ${what} but the output '${output.name}' has ${count(output.units, "unit")}${fix}`,
      { related: [{ message: `the output layer '${output.name}'`, span: output.entry.name!.span }], fixes: [...(labelled?.fixes ?? []), ...(outputUnitsFix(network, data.targets) ?? [])] });
  }
}

// Class labels written as numbers (0–9) read as one regression target: say that classes: N makes them classes.
function numericLabels(network: NetworkModel): { advice: string; fixes: Fix[] } | undefined {
  const numeric = network.data?.numericTarget;
  const call = network.data?.entry.source;
  const units = network.output!.units!;
  if (!numeric?.whole || numeric.distinct < 2 || units < 2 || call?.kind !== "call") return undefined;
  const classes = numeric.distinct;
  const output = classes === units ? "" : ` and give the output ${count(classes, "unit")}`;
  const insert = { start: call.span.end - 1, end: call.span.end - 1 };
  return {
    advice: `the target column '${numeric.column}' holds whole numbers, which csv reads as one regression target; if its ${classes} values are class labels, `
      + `write 'classes: ${classes}' in csv(…) to make them ${classes} one-hot classes${output}, otherwise give the output 1 unit`,
    fixes: [{ title: `Read '${numeric.column}' as ${classes} classes`, edits: [{ span: insert, newText: `, classes: ${classes}` }] }],
  };
}

function checkInlineRows(inline: ast.InlineData, accept: Accept): void {
  const rows = inline.rows.filter((row) => row.arrow);
  for (const row of inline.rows) {
    if (!row.arrow) accept("error", "nnet/inline-row-arrow", row.span, "an inline row needs '->' between its features and its targets, such as '0 1 -> 1'");
    else if (row.targets.length === 0) accept("error", "nnet/inline-row-width", row.span, "this row has no targets after '->'");
  }
  const first = rows[0];
  for (const row of rows.slice(1)) {
    if (row.features.length === first.features.length && row.targets.length === first.targets.length) continue;
    accept("error", "nnet/inline-row-width", row.span,
      `this row has ${count(row.features.length, "feature")} and ${count(row.targets.length, "target")}, but the first row has ${first.features.length} and ${first.targets.length}; every row needs the same widths`,
      { related: [{ message: "the first row", span: first.span }] });
  }
  // plain loops: inline data may hold a million numbers
  const report = (n: ast.NumberLit, what: string): void => {
    const issue = rangeIssue(finite, n.value, what, n.text);
    if (issue) accept("error", issue.code, n.span, issue.message);
  };
  for (let r = 0; r < inline.rows.length; r++) {
    const { features, targets } = inline.rows[r]!;
    for (let k = 0; k < features.length; k++) if (!Number.isFinite(features[k]!.value)) report(features[k]!, `row ${r + 1}, feature ${k + 1}`);
    for (let k = 0; k < targets.length; k++) if (!Number.isFinite(targets[k]!.value)) report(targets[k]!, `row ${r + 1}, target ${k + 1}`);
  }
  if (inline.rows.length === 0) accept("error", "nnet/inline-row-width", inline.span, "inline data needs at least one row, such as '{ 0 0 -> 0 ; 1 1 -> 0 }'");
}

// Σ of typed decimals such as 0.1 0.2 0.7 misses 1 by a rounding error, not by a mistake
const sumTolerance = 1e-9;

// softmax + cross_entropy: δᴸ = aᴸ·Σⱼyⱼ − y (engine/losses.ts), which is the aᴸ − y the hover promises only for a distribution
function checkDistributions(network: NetworkModel, inline: ast.InlineData, accept: Accept): void {
  if (network.loss !== "cross_entropy" || network.output?.activation?.name !== "softmax") return;
  for (const row of inline.rows) {
    const targets = row.targets;
    if (!row.arrow || targets.length === 0 || targets.some((n) => !Number.isFinite(n.value))) continue;
    const sum = targets.reduce((total, n) => total + n.value, 0);
    const negative = targets.find((n) => n.value < 0);
    if (!negative && Math.abs(sum - 1) <= sumTolerance) continue;
    const span = { start: targets[0]!.span.start, end: targets[targets.length - 1]!.span.end };
    const found = negative
      ? `the target ${negative.text} is negative, so −Σⱼ yⱼ ln aⱼ has no minimum`
      : `these targets sum to ${Number(sum.toPrecision(12))}, so δᴸ = aᴸ·Σⱼyⱼ − y is not aᴸ − y and softmax learns y / Σⱼyⱼ`;
    accept("warning", "nnet/targets-not-distribution", span,
      `with softmax and cross_entropy each row's targets should be a distribution (every one 0 or more, summing to 1): ${found}; use one-hot rows or probabilities`);
  }
}

export const dataShape: NetworkCheck = {
  name: "data-shape",
  run(network, accept) {
    const data = network.data;
    if (!data) return;
    for (const issue of data.issues) accept(issue.severity, issue.code, issue.span, issue.message, { fixes: issue.fixes, related: issue.related });
    if (data.entry.source?.kind === "inline") {
      checkInlineRows(data.entry.source, accept);
      checkDistributions(network, data.entry.source, accept);
    }
    checkShapes(network, accept);
  },
};

function settingValue(blocks: ast.SettingsBlock[], key: string): ast.Setting | undefined {
  return blocks.flatMap((block) => block.settings).find((setting) => setting.key?.text === key);
}

export const batchSize: NetworkCheck = {
  name: "batch-size",
  run(network, accept) {
    const batch = settingValue(network.trainBlocks, "batch")?.value;
    const rows = network.data?.rows;
    if (rows === undefined || rows === 0) return;
    const validation = settingValue(network.trainBlocks, "validation")?.value;
    const fraction = validation?.kind === "number" && validation.number.value > 0 && validation.number.value < 1 ? validation.number.value : 0;
    // as the engine splits: at least one row is held out whenever the fraction is above 0
    const trainingRows = rows - (fraction > 0 ? Math.max(1, Math.round(rows * fraction)) : 0);
    if (validation?.kind === "number" && trainingRows < 1) {
      accept("error", "nnet/validation-range", validation.span,
        `validation ${validation.number.text} holds out all ${rows} rows, leaving none to train on; use a smaller fraction or more data`);
      return;
    }
    // a fractional or infinite batch is a wrong-type error already
    if (batch?.kind !== "number" || !Number.isInteger(batch.number.value) || !(batch.number.value > 0) || batch.number.value <= trainingRows) return;
    accept("warning", "nnet/batch-too-large", batch.span,
      `batch ${batch.number.text} is larger than the ${count(trainingRows, "training row")}, so every step is one full batch; use 'batch full' or a smaller batch`,
      { fixes: [replace("Use 'batch full'", batch.span, "full")] });
  },
};
