/**
 * "Show Model Summary": the server's NetworkSummary (nnet/summary) as a
 * read-only Markdown document beside the editor, regenerated from the
 * current text each time it is shown.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { SummaryRequest, type NetworkSummary, type SummaryParams, type SummaryResult } from "../../server/src/protocol";

export const summaryScheme = "nnet-summary";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/_/g, "\\_") || "–";
const count = (value: number): string => value.toLocaleString("en-US");

export function summaryMarkdown(summary: NetworkSummary, source: string, errors: number): string {
  const rows = summary.layers.map((layer) =>
    `| ${cell(layer.name)} | ${layer.kind} | ${cell(layer.from.join(", "))} | ${layer.units} | ${cell(layer.activation ?? "")} | ${count(layer.params)} |`);
  const dense = summary.layers.filter((layer) => layer.kind === "dense").length;
  return [
    `# Network \`${summary.network}\``,
    "",
    `From \`${source}\` · loss \`${summary.loss || "?"}\` · ${summary.layers.length - 1} layers (${dense} dense) · **${count(summary.totalParams)} parameters**`,
    ...(errors > 0 ? ["", `> ${errors} error${errors === 1 ? "" : "s"} in this network: the counts may be incomplete until ${errors === 1 ? "it is" : "they are"} fixed.`] : []),
    "",
    "| layer | kind | from | units | activation | params |",
    "| --- | --- | --- | ---: | --- | ---: |",
    ...rows,
    `| **total** | | | | | **${count(summary.totalParams)}** |`,
    "",
    "Parameters of a dense layer: W has units × (units of its input) entries, b has units.",
    "",
  ].join("\n");
}

/** `nnet-summary:/<file> · <network>.md?<document uri>#<network>` */
export function summaryUri(document: vscode.Uri, network: string | undefined): vscode.Uri {
  const file = document.path.split("/").pop() ?? "network";
  return vscode.Uri.from({
    scheme: summaryScheme,
    path: `/${file} · ${network ?? "summary"}.md`,
    query: document.toString(),
    fragment: network ?? "",
  });
}

export class SummaryProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: LanguageClient) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = vscode.Uri.parse(uri.query);
    const params: SummaryParams = { uri: source.toString(), ...(uri.fragment ? { network: uri.fragment } : {}) };
    const result = await this.client.sendRequest<SummaryResult>(SummaryRequest, params);
    const shown = vscode.workspace.asRelativePath(source);
    if (!result.summary) {
      return `# No network${uri.fragment ? ` \`${uri.fragment}\`` : ""}\n\n\`${shown}\` declares ${result.networks.length === 0 ? "no networks" : result.networks.map((name) => `\`${name}\``).join(", ")}.\n`;
    }
    return summaryMarkdown(result.summary, shown, result.errors);
  }

  /**
   * Shows the summary rendered in a Markdown preview beside the editor (the
   * Markdown source when the built-in Markdown extension is unavailable);
   * resolves to the summary document's uri. A second call refreshes it.
   */
  async show(document: vscode.Uri, network: string | undefined): Promise<vscode.Uri> {
    const uri = summaryUri(document, network);
    this.changed.fire(uri);
    await vscode.workspace.openTextDocument(uri);
    try {
      await vscode.commands.executeCommand("markdown.showPreviewToSide", uri);
    } catch {
      const summary = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(summary, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    }
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
