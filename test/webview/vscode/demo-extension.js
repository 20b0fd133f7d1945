// A development extension that drives the real training-panel host with the
// browser test's fixtures: the panel as VS Code itself shows it, without the
// language server. Bundled by run.mjs; not part of the shipped extension.
import * as vscode from "vscode";
import { TrainingPanel, registerTrainingPanelSerializer } from "../../../client/src/panel/index";
import { decisionGrid, epochMetrics, gradcheckReport, summary } from "../fixtures";

export function activate(context) {
  const output = vscode.window.createOutputChannel("NNet panel demo");
  const deps = {
    log: (line) => output.appendLine(line),
    revealLayer: ({ layer }) => void vscode.window.showInformationMessage(`reveal ${layer}`),
  };
  registerTrainingPanelSerializer(context, deps);
  context.subscriptions.push(vscode.commands.registerCommand("nnetPanelDemo.show", async () => {
    const panel = TrainingPanel.createOrShow(context, deps, false);
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, "circle.nnet").toString();
    const job = { jobId: "demo", uri, network: "circle", kind: "train", epochs: 300 };
    panel.startRun({ ...job, summary });
    for (let epoch = 1; epoch <= 300; epoch++) {
      panel.progress({ ...job, metrics: epochMetrics(epoch), grid: epoch % 100 === 0 ? decisionGrid(40) : undefined });
      if (epoch % 30 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    panel.done({ ...job, status: "completed", gradcheck: gradcheckReport, grid: decisionGrid(40) });
  }));
}
