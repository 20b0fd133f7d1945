/**
 * Save Model…, Predict… and Export to PyTorch…/ONNX…: the editor's side of
 * nnet/saveModel, nnet/predict and nnet/export. Each command takes an
 * optional argument naming what a dialog would ask for (`{ uri, network,
 * target }`, `{ model, data }`, `{ uri | model, network, out }`), so the
 * panel, other commands and the editor tests can run it without a dialog.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import {
  ExportRequest, PredictRequest, RunsRequest, SaveModelRequest, storedModelMissing,
  type ExportParams, type ExportResult, type ExportTarget, type PredictResult, type RequestType,
} from "../../../server/src/protocol";
import type { JobTracker } from "../jobs";
import type { PanelLink } from "../panel-link";
import { sendRequest } from "../messages";
import { resolveTarget, type NetworkTarget } from "../target";
import { diskPath, offer, RequestRefused, revealOrOpen, withProgress } from "./request";
import { pickModel } from "./pick";

export interface ModelDeps {
  client: LanguageClient;
  ready: Promise<boolean>;
  jobs: JobTracker;
  panel: PanelLink;
  output: vscode.OutputChannel;
}

const field = (arg: unknown, key: string): unknown => (typeof arg === "object" && arg !== null && !(arg instanceof vscode.Uri) ? (arg as Record<string, unknown>)[key] : undefined);
const isModelUri = (arg: unknown): arg is vscode.Uri => arg instanceof vscode.Uri && arg.path.endsWith(".nnetmodel");
const stem = (target: NetworkTarget): string => target.network ?? target.document.uri.path.split("/").pop()!.replace(/\.nnet$/, "");

export class ModelCommands implements vscode.Disposable {
  /** the model Save Model wrote last, offered first by Predict */
  lastSaved: vscode.Uri | undefined;
  private readonly refused = new vscode.EventEmitter<{ method: string; message: string; noRun: boolean }>();
  /** a request the server refused, as the user was told (for the editor tests) */
  readonly onDidRefuse = this.refused.event;

  constructor(private readonly deps: ModelDeps) {}

  dispose(): void {
    this.refused.dispose();
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand("nnet.saveModel", (arg?: unknown) => this.save(arg)),
      vscode.commands.registerCommand("nnet.predict", (arg?: unknown) => this.predict(arg)),
      vscode.commands.registerCommand("nnet.exportPytorch", (arg?: unknown) => this.export("pytorch", arg)),
      vscode.commands.registerCommand("nnet.exportOnnx", (arg?: unknown) => this.export("onnx", arg)),
    ];
  }

  /** Saves the last run of the network under the cursor; resolves to the file written. */
  async save(arg?: unknown): Promise<vscode.Uri | undefined> {
    const target = await this.runTarget(arg);
    if (!target) return undefined;
    const given = diskPath(field(arg, "target"));
    const file = given ? vscode.Uri.file(given) : await vscode.window.showSaveDialog({
      title: `NNet: save '${stem(target)}' as a model`, saveLabel: "Save Model",
      defaultUri: vscode.Uri.joinPath(target.document.uri, "..", `${stem(target)}.nnetmodel`), filters: { "NNet model": ["nnetmodel"] },
    });
    if (!file) return undefined;
    const params = { uri: target.document.uri.toString(), ...(target.network ? { network: target.network } : {}), target: file.fsPath };
    const saved = await this.send(`NNet: saving '${stem(target)}'…`, SaveModelRequest, params, target);
    if (!saved) return undefined;
    this.lastSaved = file;
    offer(vscode.window.showInformationMessage(`NNet: saved '${saved.network}' (${saved.epochs} epochs) to ${vscode.workspace.asRelativePath(file)}.`, "Reveal", "Open", "Predict…"), {
      Reveal: () => vscode.commands.executeCommand("revealFileInOS", file),
      Open: () => vscode.commands.executeCommand("vscode.open", file),
      "Predict…": () => this.predict({ model: file }),
    });
    return file;
  }

  /** Predicts every row of a CSV with a model and shows the table in the training panel. */
  async predict(arg?: unknown): Promise<PredictResult | undefined> {
    if (!(await this.serverUp())) return undefined;
    const model = isModelUri(arg) ? arg.fsPath : diskPath(field(arg, "model")) ?? (await pickModel(this.lastSaved))?.fsPath;
    if (!model) return undefined;
    const data = diskPath(field(arg, "data")) ?? (await vscode.window.showOpenDialog({
      title: "NNet: rows to predict (a CSV whose header names the model's features)", openLabel: "Predict",
      defaultUri: vscode.Uri.joinPath(vscode.Uri.file(model), ".."), filters: { CSV: ["csv"] }, canSelectMany: false,
    }))?.[0]?.fsPath;
    if (!data) return undefined;
    // a large CSV takes a while to read: the server stops when the notification's Cancel is pressed
    const result = await this.send("NNet: predicting…", PredictRequest, { model, data }, undefined, true);
    if (!result) return undefined;
    (await this.deps.panel.open()).showPredictions(result);
    return result;
  }

  /** Exports the last run of the cursor's network, or a model file, to PyTorch (a folder) or ONNX (a file). */
  async export(to: ExportTarget, arg?: unknown): Promise<ExportResult | undefined> {
    const model = isModelUri(arg) ? arg.fsPath : diskPath(field(arg, "model"));
    const target = model ? undefined : await this.runTarget(arg);
    if (!model && !target) return undefined;
    if (model && !(await this.serverUp())) return undefined;
    const name = target ? stem(target) : vscode.Uri.file(model!).path.split("/").pop()!.replace(/\.nnetmodel$/, "");
    const near = target ? target.document.uri : vscode.Uri.file(model!);
    const out = diskPath(field(arg, "out")) ?? (await this.askOut(to, name, near))?.fsPath;
    if (!out) return undefined;
    const source = target ? { uri: target.document.uri.toString(), ...(target.network ? { network: target.network } : {}) } : { model: model! };
    const params: ExportParams = { ...source, to, out };
    const label = to === "onnx" ? "ONNX" : "PyTorch";
    const result = await this.send(`NNet: exporting '${name}' to ${label}…`, ExportRequest, params, target);
    if (!result) return undefined;
    const folder = vscode.Uri.file(out);
    const readme = result.files.find((file) => /README/i.test(file));
    const readmeUri = readme ? (/^([a-z]:)?[\\/]/i.test(readme) ? vscode.Uri.file(readme) : vscode.Uri.joinPath(folder, readme)) : folder;
    revealOrOpen(`NNet: exported '${name}' to ${label}: ${vscode.workspace.asRelativePath(folder)}.`, folder, readmeUri);
    return result;
  }

  private async askOut(to: ExportTarget, name: string, near: vscode.Uri): Promise<vscode.Uri | undefined> {
    const folder = vscode.Uri.joinPath(near, "..");
    if (to === "onnx") {
      return vscode.window.showSaveDialog({ title: `NNet: export '${name}' to ONNX`, saveLabel: "Export", defaultUri: vscode.Uri.joinPath(folder, `${name}.onnx`), filters: { ONNX: ["onnx"] } });
    }
    const picked = await vscode.window.showOpenDialog({
      title: `NNet: the folder for the PyTorch project of '${name}'`, openLabel: "Export Here", defaultUri: folder,
      canSelectFiles: false, canSelectFolders: true, canSelectMany: false,
    });
    return picked?.[0];
  }

  /** The document and network whose last run a command acts on; says so (and offers Train) when the editor knows of no run. */
  private async runTarget(arg: unknown): Promise<NetworkTarget | undefined> {
    if (!(await this.serverUp())) return undefined;
    const last = this.deps.jobs.last();
    const target = await resolveTarget(arg, last ? vscode.Uri.parse(last.uri) : undefined);
    if (!target) return undefined;
    // a hint only: the server owns the runs and has the last word
    const uri = target.document.uri.toString();
    const known = this.deps.jobs.all().some((job) => job.uri === uri && job.kind === "train" && (!target.network || job.network === target.network));
    const why = known ? undefined : await this.storedRunProblem(uri, target);
    if (why) {
      this.refused.fire({ method: "", message: why, noRun: true });
      this.noRun(`NNet: ${why}; train it first, then save or export the run.`, target);
      return undefined;
    }
    return target;
  }

  /** Nothing trained in this window (it was reopened): why the newest stored training run cannot be saved, if it cannot. */
  private async storedRunProblem(uri: string, target: NetworkTarget): Promise<string | undefined> {
    const { runs } = await sendRequest(this.deps.client, RunsRequest, { uri, ...(target.network ? { network: target.network } : {}) });
    const newest = runs.find((run) => run.kind === "train");
    if (!newest) return `'${stem(target)}' has not been trained yet`;
    const missing = storedModelMissing(newest);
    return missing ? `'${newest.network}' has no trained weights to save: ${missing}` : undefined;
  }

  private async send<P, R>(title: string, type: RequestType<P, R>, params: P, target?: NetworkTarget, cancellable = false): Promise<R | undefined> {
    const method = type.method;
    try {
      return await withProgress(this.deps.client, title, type, params, cancellable);
    } catch (error) {
      const refused = error instanceof RequestRefused ? error : new RequestRefused(String(error), false);
      this.deps.output.appendLine(`[models] ${method}: ${refused.message}`);
      if (refused.cancelled) return undefined;
      this.refused.fire({ method, message: refused.message, noRun: refused.noRun });
      if (refused.noRun && target) this.noRun(`NNet: ${refused.message}`, target);
      else offer(vscode.window.showErrorMessage(`NNet: ${refused.message}`, "Show Output"), { "Show Output": () => this.deps.output.show(true) });
      return undefined;
    }
  }

  private noRun(message: string, target: NetworkTarget): void {
    offer(vscode.window.showInformationMessage(message, "Train"), {
      Train: () => vscode.commands.executeCommand("nnet.train", { uri: target.document.uri.toString(), network: target.network }),
    });
  }

  private async serverUp(): Promise<boolean> {
    if (await this.deps.ready) return true;
    offer(vscode.window.showErrorMessage("NNet: the language server is not running, so models cannot be saved, used or exported.", "Show Output"), {
      "Show Output": () => this.deps.output.show(true),
    });
    return false;
  }
}
