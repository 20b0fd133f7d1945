/**
 * The extension's debugger wiring (client/src/debug.ts) against a stand-in
 * for the `vscode` module: F5 with no launch.json, Restricted Mode, the data
 * rule, the command, and the adapter it describes, which is then started as
 * VS Code would start it and launched with the configuration F5 made.
 */
import type { DebugProtocol } from "@vscode/debugprotocol";
import { DebugClient } from "@vscode/debugadapter-testsupport";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { bundledCli, example, hangGuardMs, root } from "./client";

const fake = vi.hoisted(() => {
  class Uri {
    constructor(readonly fsPath: string) {}
    static file(path: string): Uri { return new Uri(path); }
    static parse(text: string): Uri { return new Uri(text.replace(/^file:\/\//, "")); }
    toString(): string { return `file://${this.fsPath}`; }
  }
  const document = (uri: Uri) => ({ uri, languageId: uri.fsPath.endsWith(".nnet") ? "nnet" : "plaintext", isDirty: false, fileName: uri.fsPath });
  const state = {
    trusted: true, allow: false, active: undefined as string | undefined, folder: undefined as string | undefined,
    networks: [] as string[], messages: [] as string[], started: [] as unknown[],
    commands: new Map<string, (arg?: unknown) => unknown>(),
    providers: new Map<string, unknown>(), factories: new Map<string, unknown>(),
  };
  const disposable = { dispose() {} };
  const say = (message: string) => { state.messages.push(message); return Promise.resolve(undefined); };
  const vscode = {
    Uri,
    SymbolKind: { Class: 4, Field: 7, Variable: 12 },
    DebugAdapterExecutable: class { constructor(readonly command: string, readonly args: string[], readonly options: { env?: Record<string, string> }) {} },
    window: {
      get activeTextEditor() { return state.active ? { document: document(new Uri(state.active)) } : undefined; },
      visibleTextEditors: [],
      showInformationMessage: say, showWarningMessage: say, showQuickPick: () => Promise.resolve(undefined),
    },
    workspace: {
      get isTrusted() { return state.trusted; },
      getWorkspaceFolder: () => (state.folder ? { uri: new Uri(state.folder) } : undefined),
      getConfiguration: () => ({ get: (key: string) => (key === "data.allowOutsideWorkspace" ? state.allow : undefined) }),
      openTextDocument: (uri: Uri) => Promise.resolve(document(uri)),
      asRelativePath: (uri: Uri) => uri.fsPath,
    },
    commands: {
      executeCommand: () => Promise.resolve(state.networks.map((name) => ({ name, kind: 4, children: [] }))),
      registerCommand: (id: string, run: (arg?: unknown) => unknown) => { state.commands.set(id, run); return disposable; },
    },
    debug: {
      registerDebugConfigurationProvider: (type: string, provider: unknown) => { state.providers.set(type, provider); return disposable; },
      registerDebugAdapterDescriptorFactory: (type: string, factory: unknown) => { state.factories.set(type, factory); return disposable; },
      startDebugging: (_folder: unknown, config: unknown) => { state.started.push(config); return Promise.resolve(true); },
    },
  };
  return { state, vscode };
});
vi.mock("vscode", () => fake.vscode);

interface Provider {
  provideDebugConfigurations(): DebugProtocol.LaunchRequestArguments[];
  resolveDebugConfiguration(folder: unknown, config: Record<string, unknown>): Promise<Record<string, unknown> | undefined>;
  resolveDebugConfigurationWithSubstitutedVariables(folder: unknown, config: Record<string, unknown>): Record<string, unknown>;
}
interface Factory { createDebugAdapterDescriptor(): { command: string; args: string[]; options: { env: Record<string, string> } } }

const spiral = example("spiral.nnet");
const cli = bundledCli();
let provider: Provider;
let factory: Factory;

beforeAll(async () => {
  const { registerDebugger } = await import("../../client/src/debug");
  registerDebugger({ asAbsolutePath: (path: string) => (path === "out/cli.js" ? cli : path) } as never);
  // the language server's nnet/summary answer: the networks the document declares
  const { askServerWith } = await import("../../client/src/target");
  askServerWith({ sendRequest: (method: string) => Promise.resolve(method === "nnet/summary" ? { networks: fake.state.networks, errors: 0 } : undefined) } as never);
  provider = fake.state.providers.get("nnet") as Provider;
  factory = fake.state.factories.get("nnet") as Factory;
});

beforeEach(() => {
  Object.assign(fake.state, { trusted: true, allow: false, active: undefined, folder: undefined, networks: [], messages: [], started: [] });
});

describe("the nnet debugger in the extension", () => {
  it("F5 with no launch.json debugs the active .nnet file's network, stopping on entry", async () => {
    Object.assign(fake.state, { active: spiral, networks: ["spiral"], folder: root });
    const config = await provider.resolveDebugConfiguration(undefined, {});
    expect(config).toEqual({ type: "nnet", request: "launch", name: "Debug backpropagation", program: spiral, stopOnEntry: true, network: "spiral" });
    expect(provider.resolveDebugConfigurationWithSubstitutedVariables(undefined, config!)).toMatchObject({ workspace: root });
  });

  it("F5 elsewhere, or in Restricted Mode, explains and starts nothing", async () => {
    fake.state.active = `${root}/README.md`;
    expect(await provider.resolveDebugConfiguration(undefined, {})).toBeUndefined();
    expect(fake.state.messages).toEqual(["NNet: open a .nnet file to debug its backpropagation."]);
    Object.assign(fake.state, { active: spiral, trusted: false });
    expect(await provider.resolveDebugConfiguration(undefined, {})).toBeUndefined();
    expect(fake.state.messages[1]).toMatch(/off in Restricted Mode/);
  });

  it("lets only the user's setting, not a launch.json, read data outside the workspace", () => {
    const written = { type: "nnet", request: "launch", name: "x", program: spiral, allowOutsideWorkspace: true };
    expect(provider.resolveDebugConfigurationWithSubstitutedVariables(undefined, written)).not.toHaveProperty("allowOutsideWorkspace");
    fake.state.allow = true;
    expect(provider.resolveDebugConfigurationWithSubstitutedVariables(undefined, { ...written, allowOutsideWorkspace: false })).toMatchObject({ allowOutsideWorkspace: true });
  });

  it("offers a launch configuration for ${file}, and the command starts the same", async () => {
    expect(provider.provideDebugConfigurations()).toEqual([{ type: "nnet", request: "launch", name: "Debug backpropagation", program: "${file}", stopOnEntry: true }]);
    fake.state.networks = ["spiral"];
    expect(await fake.state.commands.get("nnet.debug")!(fake.vscode.Uri.file(spiral))).toBe(true);
    expect(fake.state.started).toEqual([{ type: "nnet", request: "launch", name: "Debug backpropagation", program: spiral, stopOnEntry: true, network: "spiral" }]);
  });

  it("describes an adapter that runs: the bundled CLI's nnet dap on the editor's Node", async () => {
    const descriptor = factory.createDebugAdapterDescriptor();
    expect(descriptor.args).toEqual([cli, "dap"]);
    expect(descriptor.options.env).toEqual({ ELECTRON_RUN_AS_NODE: "1" });
    Object.assign(fake.state, { active: spiral, networks: ["spiral"], folder: root });
    const config = provider.resolveDebugConfigurationWithSubstitutedVariables(undefined, (await provider.resolveDebugConfiguration(undefined, {}))!);
    const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
    const dc = new DebugClient(quote(descriptor.command), descriptor.args.map(quote).join(" "), "nnet", {
      shell: true, env: { ...process.env, ...descriptor.options.env },
    });
    dc.defaultTimeout = hangGuardMs;
    await dc.start();
    try {
      const [, , stopped] = await Promise.all([
        dc.configurationSequence(),
        dc.launch(config as DebugProtocol.LaunchRequestArguments),
        dc.waitForEvent("stopped"),
      ]);
      expect(stopped.body.reason).toBe("entry");
      const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.map((f) => f.name);
      expect(frames).toEqual(["input x", "forward", "step 1 of epoch 1", "train spiral"]);
    } finally {
      await dc.stop();
    }
  });
});
