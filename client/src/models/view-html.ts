/**
 * The model viewer's page: the nnet/modelSummary answer as static HTML. Every
 * value from the file is escaped here, and the page runs no script at all
 * (its policy allows none), so nothing in a model file can become markup or code.
 */
import type { ModelSummaryResult } from "../../../server/src/protocol";

const escape = (value: string | number): string =>
  String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const number = (value: number): string => (Number.isInteger(value) ? value.toLocaleString("en-US") : Number(value.toPrecision(4)).toString());
const percent = (value: number | undefined): string => (value === undefined ? "–" : `${(100 * value).toFixed(1)} %`);
const row = (cells: (string | number)[], header = false): string => `<tr>${cells.map((c) => `<${header ? "th" : "td"}>${escape(c)}</${header ? "th" : "td"}>`).join("")}</tr>`;
const pairs = (entries: [string, string | number][]): string => `<table class="pairs">${entries.map(([k, v]) => `<tr><th scope="row">${escape(k)}</th><td>${escape(v)}</td></tr>`).join("")}</table>`;
const section = (title: string, body: string): string => `<section><h2>${escape(title)}</h2>${body}</section>`;

function layers(model: ModelSummaryResult): string {
  const body = model.summary.layers.map((l) => row([l.name, l.kind, l.from.join(", ") || "–", l.units, l.activation ?? "–", number(l.params)]));
  return `<div class="scroll"><table class="layers"><thead>${row(["layer", "kind", "from", "units", "activation", "params"], true)}</thead><tbody>${body.join("")}${row(["total", "", "", "", "", number(model.summary.totalParams)])}</tbody></table></div>`;
}

function training(model: ModelSummaryResult): [string, string | number][] {
  const t = model.train;
  return [["optimizer", `${t.optimizer} (lr ${t.lr})`], ["batch", t.batch], ["epochs in the file", t.epochs], ["epochs trained", model.history.epochs], ["validation", `${(100 * t.validation).toFixed(0)} %`], ["seed", t.seed]];
}

function metrics(model: ModelSummaryResult): [string, string | number][] {
  const m = model.metrics;
  const h = model.history;
  if (!m) return [["metrics", "not trained"]];
  return [
    ["loss", number(m.loss)], ["accuracy", percent(m.accuracy)], ["validation loss", m.valLoss === undefined ? "–" : number(m.valLoss)], ["validation accuracy", percent(m.valAccuracy)],
    ...(h.firstLoss !== undefined ? [["loss, first → last epoch", `${number(h.firstLoss)} → ${number(h.lastLoss!)}`] as [string, string]] : []),
    ...(h.bestLoss !== undefined ? [["lowest loss", `${number(h.bestLoss)} (epoch ${h.bestEpoch})`] as [string, string]] : []),
  ];
}

export function modelPage(model: ModelSummaryResult, file: string, nonce: string): string {
  const outputs = model.outputs.kind === "classes" ? "Classes" : "Outputs";
  const source: [string, string | number][] = model.source
    ? [["file", model.source.file], ["network", model.source.network], ["sha256", model.source.sha256]]
    : [["file", "unknown"]];
  return page(file, nonce, [
    `<h1>Model <code>${escape(model.summary.network)}</code></h1>`,
    `<p class="muted">${escape(file)} · loss ${escape(model.summary.loss)} · ${escape(number(model.summary.totalParams))} parameters</p>`,
    section("Network", layers(model)),
    section("Features", `<ol class="names">${model.features.map((f) => `<li>${escape(f)}</li>`).join("")}</ol>`),
    section(outputs, `<ul class="names">${model.outputs.names.map((n) => `<li>${escape(n)}</li>`).join("")}</ul>`),
    section("Training", pairs(training(model))),
    section("Metrics (last epoch)", pairs(metrics(model))),
    section("Source", pairs([...source, ["saved", model.savedAt], ["by", model.createdBy]])),
    section("Summary", `<pre>${escape(model.provenance.join("\n"))}</pre>`),
  ].join("\n"));
}

export function errorPage(file: string, message: string, nonce: string): string {
  return page(file, nonce, `<h1>Cannot show ${escape(file)}</h1><p class="error">${escape(message)}</p>`);
}

function page(title: string, nonce: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escape(title)}</title>
<style nonce="${nonce}">
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 8px 20px 24px; max-width: 60em; }
h1 { font-size: 1.4em; margin: 0.4em 0; } h2 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
.muted { color: var(--vscode-descriptionForeground); } .error { color: var(--vscode-errorForeground); }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; } .scroll { overflow-x: auto; }
th, td { padding: 3px 10px 3px 0; text-align: left; border-bottom: 1px solid var(--vscode-panel-border, rgba(128,128,128,.35)); }
.layers th { color: var(--vscode-descriptionForeground); font-weight: normal; } .pairs th { color: var(--vscode-descriptionForeground); font-weight: normal; }
td { overflow-wrap: anywhere; } ol.names, ul.names { margin: 0; padding-left: 2.5em; } pre { white-space: pre-wrap; overflow-wrap: anywhere; }
</style></head>
<body>
${body}
</body></html>
`;
}
