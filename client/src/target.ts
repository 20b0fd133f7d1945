/**
 * Which document and network a command acts on. The client holds no
 * language knowledge: networks and layers come from the server's document
 * symbols (networks at the top, their entries as children).
 */
import * as vscode from "vscode";

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

/** The server's symbols for a document; each network symbol has its entries as children. */
export async function networkSymbols(uri: vscode.Uri): Promise<vscode.DocumentSymbol[]> {
  const symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
    "vscode.executeDocumentSymbolProvider", uri,
  );
  return (symbols ?? []).filter((symbol): symbol is vscode.DocumentSymbol => "children" in symbol && symbol.kind === vscode.SymbolKind.Class);
}

async function pickNetwork(document: vscode.TextDocument, symbols: vscode.DocumentSymbol[]): Promise<string | undefined> {
  const editor = vscode.window.visibleTextEditors.find((each) => each.document === document);
  const cursor = editor?.selection.active;
  const underCursor = cursor ? symbols.find((symbol) => symbol.range.contains(cursor)) : undefined;
  if (underCursor) return underCursor.name;
  const picked = await vscode.window.showQuickPick(
    symbols.map((symbol) => ({ label: symbol.name, description: symbol.detail, symbol })),
    { title: "NNet: which network?", placeHolder: `${document.fileName.split(/[\\/]/).pop()} declares ${symbols.length} networks` },
  );
  return picked?.label;
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
  const symbols = await networkSymbols(uri);
  if (symbols.length === 0) return { document };
  if (symbols.length === 1) return { document, network: symbols[0]!.name };
  const network = await pickNetwork(document, symbols);
  return network ? { document, network } : undefined;
}

/** How the server marks layers (Field) and the input (Variable) among a network's entries. */
const layerKinds = new Set([vscode.SymbolKind.Field, vscode.SymbolKind.Variable]);

/** The declaration of a layer (or the input) of a network, from the server's symbols. */
export async function layerRange(uri: vscode.Uri, layer: string, network?: string): Promise<vscode.Range | undefined> {
  const symbols = await networkSymbols(uri);
  const owners = network ? symbols.filter((symbol) => symbol.name === network) : symbols;
  for (const owner of owners) {
    const found = owner.children.find((child) => child.name === layer && layerKinds.has(child.kind));
    if (found) return found.selectionRange;
  }
  return undefined;
}
