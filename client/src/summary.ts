/**
 * "Show Model Summary": the server's NetworkSummary (nnet/summary) as a
 * read-only Markdown document beside the editor, regenerated from the
 * current text each time it is shown.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { sendRequest } from "./messages";
import { SummaryRequest, type NetworkSummary, type SummaryParams } from "../../server/src/protocol";

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

/**
 * `nnet-summary:/<document uri>/<network>/<file> · <network>.md`: the source
 * is in the path, not the query, because the workbench's file service keys
 * resources on their path.
 */
export function summaryUri(document: vscode.Uri, network: string | undefined): vscode.Uri {
  const file = document.path.split("/").pop() ?? "network";
  const name = network ?? "";
  return vscode.Uri.from({
    scheme: summaryScheme,
    path: `/${encodeURIComponent(document.toString())}/${encodeURIComponent(name)}/${file} · ${network ?? "summary"}.md`,
  });
}

function sourceOf(uri: vscode.Uri): { source: vscode.Uri; network?: string } {
  const [, source = "", network = ""] = uri.path.split("/");
  return { source: vscode.Uri.parse(decodeURIComponent(source)), ...(network ? { network: decodeURIComponent(network) } : {}) };
}

/**
 * A read-only file system for the summaries: the Markdown preview reads and
 * watches its document through the file service, which a plain content
 * provider does not serve.
 */
export class SummaryProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  private readonly sizes = new Map<string, { size: number; mtime: number }>();
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly client: LanguageClient) {}

  async content(uri: vscode.Uri): Promise<string> {
    const { source, network } = sourceOf(uri);
    const params: SummaryParams = { uri: source.toString(), ...(network ? { network } : {}) };
    const result = await sendRequest(this.client, SummaryRequest, params);
    const shown = vscode.workspace.asRelativePath(source);
    if (!result.summary) {
      return `# No network${network ? ` \`${network}\`` : ""}\n\n\`${shown}\` declares ${result.networks.length === 0 ? "no networks" : result.networks.map((name) => `\`${name}\``).join(", ")}.\n`;
    }
    return summaryMarkdown(result.summary, shown, result.errors);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const bytes = new TextEncoder().encode(await this.content(uri));
    const known = this.sizes.get(uri.toString());
    this.sizes.set(uri.toString(), { size: bytes.length, mtime: known?.mtime ?? Date.now() });
    return bytes;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const known = this.sizes.get(uri.toString());
    return { type: vscode.FileType.File, ctime: 0, mtime: known?.mtime ?? 0, size: known?.size ?? 0, permissions: vscode.FilePermission.Readonly };
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  /**
   * Shows the summary rendered in a Markdown preview beside the editor (the
   * Markdown source when the built-in Markdown extension is unavailable);
   * resolves to the summary document's uri. A second call refreshes it from
   * the current text.
   */
  async show(document: vscode.Uri, network: string | undefined): Promise<vscode.Uri> {
    const uri = summaryUri(document, network);
    if (this.sizes.has(uri.toString())) {
      this.sizes.set(uri.toString(), { size: this.sizes.get(uri.toString())!.size, mtime: Date.now() });
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    }
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
