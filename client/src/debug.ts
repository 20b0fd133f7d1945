/**
 * The `nnet` debugger: F5 on a .nnet file steps through one training step of
 * its network (no launch.json needed), and "NNet: Debug Backpropagation"
 * starts the same from the palette or the editor. The adapter is the bundled
 * CLI's `nnet dap`, run by the editor's own Node (no separate install).
 */
import * as vscode from "vscode";
import { isNNet, resolveTarget } from "./target";

const restrictedMessage =
  "NNet: the debugger runs a .nnet file's training and reads its data files, so it is off in Restricted Mode. Trust this workspace to use it.";

interface NNetDebugConfiguration extends vscode.DebugConfiguration {
  program?: string;
  network?: string;
  workspace?: string;
  allowOutsideWorkspace?: boolean;
}

function launchConfiguration(uri: vscode.Uri, network: string | undefined): NNetDebugConfiguration {
  return {
    type: "nnet", request: "launch", name: "Debug backpropagation", program: uri.fsPath, stopOnEntry: true,
    ...(network ? { network } : {}),
  };
}

// Data files are read under the same rule as training: inside the file's workspace folder unless the user's
// machine-wide setting allows more; a launch.json cannot widen that by itself.
function withDataAccess(config: NNetDebugConfiguration): NNetDebugConfiguration {
  const uri = vscode.Uri.file(config.program as string);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const allow = vscode.workspace.getConfiguration("nnet", uri).get<boolean>("data.allowOutsideWorkspace") === true;
  const { allowOutsideWorkspace: _ignored, ...rest } = config;
  return {
    ...rest,
    ...(config.workspace === undefined && folder ? { workspace: folder.uri.fsPath } : {}),
    ...(allow ? { allowOutsideWorkspace: true } : {}),
  };
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [{ type: "nnet", request: "launch", name: "Debug backpropagation", program: "${file}", stopOnEntry: true }];
  }

  async resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: NNetDebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(restrictedMessage);
      return undefined;
    }
    // F5 with no launch.json: the active .nnet file, and the network under the cursor (or picked)
    if (!config.type && !config.request && !config.name) {
      const document = vscode.window.activeTextEditor?.document;
      if (!isNNet(document)) {
        void vscode.window.showInformationMessage("NNet: open a .nnet file to debug its backpropagation.");
        return undefined;
      }
      const target = await resolveTarget(document.uri);
      if (!target) return undefined;
      return launchConfiguration(target.document.uri, target.network);
    }
    if (!config.program) {
      void vscode.window.showInformationMessage("NNet: the launch configuration needs \"program\", the .nnet file to debug.");
      return undefined;
    }
    return config;
  }

  // after ${file} and the other variables are substituted
  resolveDebugConfigurationWithSubstitutedVariables(_folder: vscode.WorkspaceFolder | undefined, config: NNetDebugConfiguration): vscode.DebugConfiguration {
    return withDataAccess(config);
  }
}

class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly cli: string) {}

  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    // the editor's Node: Electron runs as plain Node with ELECTRON_RUN_AS_NODE
    return new vscode.DebugAdapterExecutable(process.execPath, [this.cli, "dap"], { env: { ELECTRON_RUN_AS_NODE: "1" } });
  }
}

async function debugCommand(arg: unknown): Promise<boolean> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(restrictedMessage);
    return false;
  }
  const target = await resolveTarget(arg);
  if (!target) return false;
  if (target.document.isDirty) await target.document.save();
  const folder = vscode.workspace.getWorkspaceFolder(target.document.uri);
  return vscode.debug.startDebugging(folder, launchConfiguration(target.document.uri, target.network));
}

export function registerDebugger(context: vscode.ExtensionContext): vscode.Disposable[] {
  return [
    vscode.debug.registerDebugConfigurationProvider("nnet", new ConfigurationProvider()),
    vscode.debug.registerDebugAdapterDescriptorFactory("nnet", new AdapterFactory(context.asAbsolutePath("out/cli.js"))),
    vscode.commands.registerCommand("nnet.debug", (arg?: unknown) => debugCommand(arg)),
  ];
}
