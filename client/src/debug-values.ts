/**
 * Live values in the editor while the `nnet` debugger is stopped: inline
 * norms beside each layer's line, and the layer's quantities in its hover
 * (under the language server's formula). Both come from the adapter's
 * `nnet/layerValues` request, so the editor shows the adapter's own numbers.
 */
import * as vscode from "vscode";

/** One layer as `nnet/layerValues` answers (server/src/dap/live.ts); lines start at 1. */
interface LayerValues {
  layer: string;
  line: number;
  inline: string;
  quantities: string[];
  at: string;
}

// The nnet session debugging this document, if any; the adapter answers nothing while the run is going.
function sessionFor(document: vscode.TextDocument): vscode.DebugSession | undefined {
  const session = vscode.debug.activeDebugSession;
  if (session?.type !== "nnet") return undefined;
  const program = session.configuration.program;
  return typeof program === "string" && vscode.Uri.file(program).fsPath === document.uri.fsPath ? session : undefined;
}

async function layerValues(document: vscode.TextDocument): Promise<LayerValues[]> {
  const session = sessionFor(document);
  if (!session) return [];
  try {
    const answer = (await session.customRequest("nnet/layerValues")) as { layers?: LayerValues[] };
    return answer.layers ?? [];
  } catch {
    // the session ended or is running: nothing live to show
    return [];
  }
}

// Without a session both answer at once, so the language server's hover is not kept waiting on them.
const inlineValues: vscode.InlineValuesProvider = {
  provideInlineValues(document, viewPort) {
    if (!sessionFor(document)) return undefined;
    return layerValues(document).then((layers) => layers
      .filter((values) => values.inline !== "" && viewPort.contains(new vscode.Position(values.line - 1, 0)))
      .map((values) => new vscode.InlineValueText(document.lineAt(values.line - 1).range, values.inline)));
  },
};

const liveHover: vscode.HoverProvider = {
  provideHover(document, position) {
    const word = document.getWordRangeAtPosition(position);
    if (!word || !sessionFor(document)) return undefined;
    const name = document.getText(word);
    return layerValues(document).then((layers) => {
      const values = layers.find((each) => each.layer === name && each.line - 1 === position.line);
      if (!values) return undefined;
      const text = new vscode.MarkdownString();
      text.appendMarkdown(`**Live values** at ${values.at.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, "\\$&")}`);
      text.appendCodeblock(values.quantities.join("\n"), "text");
      return new vscode.Hover(text, word);
    });
  },
};

export function registerDebugValues(): vscode.Disposable[] {
  return [
    vscode.languages.registerInlineValuesProvider({ language: "nnet" }, inlineValues),
    vscode.languages.registerHoverProvider({ language: "nnet" }, liveHover),
  ];
}
