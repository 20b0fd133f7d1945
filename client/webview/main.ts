/**
 * Entry of the training panel webview. It posts `ready` first and accepts
 * host messages only after that, each checked against the protocol.
 */
import { validateHostMessage, validatePanelState, type WebviewMessage } from "../../server/src/protocol";
import type { ViewSettings } from "./chart-data";
import { Panel, type SavedState } from "./panel";
import { onThemeChange } from "./theme";

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: SavedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

function savedView(saved: unknown): ViewSettings | undefined {
  if (typeof saved !== "object" || saved === null) return undefined;
  const view = (saved as { view?: unknown }).view as Partial<ViewSettings> | undefined;
  if (typeof view?.logScale !== "boolean" || typeof view.smoothing !== "number") return undefined;
  return { logScale: view.logScale, smoothing: Math.min(0.99, Math.max(0, view.smoothing)) };
}

function start(): void {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById("app") ?? document.body;
  const panel = new Panel(root, { post: (m) => vscode.postMessage(m), save: (s) => vscode.setState(s) });
  const saved = vscode.getState();
  const state = validatePanelState(saved);
  if (state) panel.load(state, savedView(saved));
  onThemeChange(() => panel.retheme());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") panel.saveNow();
  });
  let handshaken = false;
  window.addEventListener("message", (event: MessageEvent<unknown>) => {
    if (!handshaken) return;
    const message = validateHostMessage(event.data);
    if (message) panel.receive(message);
    else console.warn("nnet panel: ignored a malformed message from the extension");
  });
  vscode.postMessage({ type: "ready" });
  handshaken = true;
}

start();
