/** The extension's settings (contributes.configuration), read when a command needs them. */
import * as vscode from "vscode";

export interface RunSettings {
  maxEpochs?: number;
  threads?: number;
  epsilon?: number;
  tolerance?: number;
  openPanelOnTrain: boolean;
}

/** A positive finite number, or undefined for an empty (null) or invalid setting. */
function positive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

export function runSettings(scope?: vscode.Uri): RunSettings {
  const config = vscode.workspace.getConfiguration("nnet", scope);
  // passed as set: the server refuses 0 or a fraction with a message, rather than it being dropped or rounded
  const maxEpochs = config.get<number | null>("train.maxEpochs") ?? undefined;
  const threads = config.get<number | null>("train.threads") ?? undefined;
  const epsilon = positive(config.get<number | null>("gradcheck.epsilon"));
  const tolerance = positive(config.get<number | null>("gradcheck.tolerance"));
  return {
    ...(typeof maxEpochs === "number" ? { maxEpochs } : {}),
    ...(typeof threads === "number" ? { threads } : {}),
    ...(epsilon !== undefined ? { epsilon } : {}),
    ...(tolerance !== undefined ? { tolerance } : {}),
    openPanelOnTrain: config.get<boolean>("panel.openOnTrain", true),
  };
}
