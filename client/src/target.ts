/**
 * Which document and network a command acts on. The client holds no
 * language knowledge: which names are networks, and which are a network's
 * layers, is the server's nnet/summary answer; document symbols only say
 * where a name is written.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { SummaryRequest, type SummaryResult } from "../../server/src/protocol";
import { sendRequest } from "./messages";
import { networkPickItems, type NetworkPickItem } from "./network-pick";

export interface NetworkTarget {
  document: vscode.TextDocument;
  /** undefined only when the server sent no symbols; the server then picks the file's first network */
  network?: string;
}

/** What the code lenses pass (`{ uri, network }`), or the resource an editor title button passes. */
export interface CommandArgument {
  uri?: string | vscode.Uri;
  network?: string;
}

export function isNNet(document: vscode.TextDocument | undefined): document is vscode.TextDocument {
  return document?.languageId === "nnet";
}

function argumentUri(arg: unknown): { uri?: vscode.Uri; network?: string } {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (typeof arg !== "object" || arg === null) return {};
  const { uri, network } = arg as CommandArgument;
  const parsed = uri instanceof vscode.Uri ? uri : typeof uri === "string" ? vscode.Uri.parse(uri) : undefined;
  return { ...(parsed ? { uri: parsed } : {}), ...(typeof network === "string" ? { network } : {}) };
}

/** The active .nnet editor, else a visible one, else the document of the last run. */
function fallbackUri(recent: vscode.Uri | undefined): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (isNNet(active)) return active.uri;
  const visible = vscode.window.visibleTextEditors.find((editor) => isNNet(editor.document));
  return visible?.document.uri ?? recent;
}

type Summaries = (uri: vscode.Uri, network?: string) => Promise<SummaryResult | undefined>;

// One language client serves the extension; until it is given, no network is known and the server picks the first.
let summaries: Summaries = () => Promise.resolve(undefined);

/** Lets targets ask the server which networks and layers a document declares. */
export function askServerWith(client: LanguageClient): void {
  summaries = (uri, network) =>
    sendRequest(client, SummaryRequest, { uri: uri.toString(), ...(network ? { network } : {}) }).catch(() => undefined);
}

/** Where the top-level names of a document are written, from the server's symbols. */
async function topSymbols(uri: vscode.Uri, names: readonly string[]): Promise<vscode.DocumentSymbol[]> {
  const symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
    "vscode.executeDocumentSymbolProvider", uri,
  );
  return (symbols ?? []).filter((symbol): symbol is vscode.DocumentSymbol => "children" in symbol && names.includes(symbol.name));
}

// made on first use: importing this module needs no editor
let shownPicks: vscode.EventEmitter<vscode.Uri> | undefined;
const picksShown = (): vscode.EventEmitter<vscode.Uri> => (shownPicks ??= new vscode.EventEmitter<vscode.Uri>());
/** A "which network?" pick shows its items, for the document (the editor tests answer it then). */
export const onDidShowNetworkPick: vscode.Event<vscode.Uri> = (listener, thisArgs, disposables) => picksShown().event(listener, thisArgs, disposables);

async function pickNetwork(document: vscode.TextDocument, networks: string[]): Promise<string | undefined> {
  const editor = vscode.window.visibleTextEditors.find((each) => each.document === document);
  const cursor = editor?.selection.active;
  const symbols = await topSymbols(document.uri, networks);
  const underCursor = cursor ? symbols.find((symbol) => symbol.range.contains(cursor)) : undefined;
  if (underCursor) return underCursor.name;
  const described = await Promise.all(networks.map((name) => summaries(document.uri, name)));
  const pick = vscode.window.createQuickPick<NetworkPickItem>();
  pick.title = "NNet: which network?";
  pick.placeholder = `${document.fileName.split(/[\\/]/).pop()} declares ${networks.length} networks`;
  pick.items = networkPickItems(networks, described);
  return new Promise((resolve) => {
    // the editor reports the first active item once the list is drawn
    const shown = pick.onDidChangeActive(() => {
      shown.dispose();
      picksShown().fire(document.uri);
    });
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.label ?? pick.activeItems[0]?.label);
      pick.hide();
    });
    pick.onDidHide(() => {
      shown.dispose();
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

/**
 * Resolves a command's target: the argument's document and network, else
 * the cursor's network, else the only one, else the user's pick. Undefined
 * when there is nothing to act on (the user has been told why) or the pick
 * was dismissed.
 */
export async function resolveTarget(arg: unknown, recent?: vscode.Uri): Promise<NetworkTarget | undefined> {
  const given = argumentUri(arg);
  const uri = given.uri ?? fallbackUri(recent);
  if (!uri) {
    void vscode.window.showInformationMessage("NNet: open a .nnet file first.");
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  if (!isNNet(document)) {
    void vscode.window.showInformationMessage(`NNet: ${vscode.workspace.asRelativePath(uri)} is not a .nnet file.`);
    return undefined;
  }
  if (given.network) return { document, network: given.network };
  const networks = (await summaries(uri))?.networks ?? [];
  if (networks.length === 0) return { document };
  if (networks.length === 1) return { document, network: networks[0]! };
  const network = await pickNetwork(document, networks);
  return network ? { document, network } : undefined;
}

/** The declaration of a layer (or the input) of a network: the server names the layers, the symbols say where they are. */
export async function layerRange(uri: vscode.Uri, layer: string, network?: string): Promise<vscode.Range | undefined> {
  const networks = network ? [network] : (await summaries(uri))?.networks ?? [];
  for (const owner of await topSymbols(uri, networks)) {
    const layers = (await summaries(uri, owner.name))?.summary?.layers.map((each) => each.name) ?? [];
    if (!layers.includes(layer)) continue;
    const found = owner.children.find((child) => child.name === layer);
    if (found) return found.selectionRange;
  }
  return undefined;
}
