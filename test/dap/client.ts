/**
 * A DebugClient on the real `nnet dap` process: the CLI bundled once for the
 * run by test/bundles.setup.ts, run as `node cli.js dap` over stdio.
 */
import { join, resolve } from "node:path";
import { DebugClient } from "@vscode/debugadapter-testsupport";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { inject } from "vitest";

export const root = resolve(__dirname, "../..");
export const fixture = (name: string): string => join(root, "test/dap/fixtures", name);
export const example = (name: string): string => join(root, "examples", name);

export const bundledCli = (): string => inject("bundles").cli;

/** DebugClient's wait for a response or an event (5 s by default): a guard against a hang, long enough for a loaded machine. */
export const hangGuardMs = 120_000;

/** A started client; DebugClient spawns `runtime executable`, so the shell splits off the `dap` argument. */
/** `env` is added to the adapter's environment (e.g. NNET_KERNEL). */
export async function startClient(cli: string, env: Record<string, string> = {}): Promise<DebugClient> {
  const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
  const dc = new DebugClient(quote(process.execPath), `${quote(cli)} dap`, "nnet", { shell: true, env: { ...process.env, ...env } });
  dc.defaultTimeout = hangGuardMs;
  await dc.start();
  return dc;
}

export interface Launch {
  program: string;
  network?: string;
  batch?: "first" | "full" | number;
  startAt?: number;
  stopOnEntry?: boolean;
  seed?: number;
}

/** Launches and waits for the first stop; breakpoints (1-based lines) are set once the adapter asks for them. */
export async function launchAndStop(
  dc: DebugClient, args: Launch, breakpoints: DebugProtocol.SourceBreakpoint[] = [], filters = ["nonfinite"],
): Promise<DebugProtocol.StoppedEvent> {
  const [, , stopped] = await Promise.all([
    dc.waitForEvent("initialized").then(async () => {
      if (breakpoints.length > 0) await dc.setBreakpointsRequest({ source: { path: args.program }, breakpoints });
      await dc.setExceptionBreakpointsRequest({ filters });
      await dc.configurationDoneRequest();
    }),
    dc.launch(args as DebugProtocol.LaunchRequestArguments),
    dc.waitForEvent("stopped"),
  ]);
  return stopped as DebugProtocol.StoppedEvent;
}

/** Sends a request that resumes and waits for the stop it causes. */
export async function stepWith(dc: DebugClient, request: Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const [, stopped] = await Promise.all([request, dc.waitForEvent("stopped")]);
  return stopped as DebugProtocol.StoppedEvent;
}

export async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
}

export async function frames(dc: DebugClient): Promise<string[]> {
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.map((f) => `${f.name} @${f.line}`);
}

export async function evaluate(dc: DebugClient, expression: string, context = "repl"): Promise<string> {
  return (await dc.evaluateRequest({ expression, context, frameId: 1 })).body.result;
}

/** Every entry of a matrix at full precision (the clipboard context), as rows. */
export async function exact(dc: DebugClient, expression: string): Promise<number[][] | number> {
  const text = await evaluate(dc, expression, "clipboard");
  return JSON.parse(text) as number[][] | number;
}

export async function scopeVariables(dc: DebugClient, scope: string): Promise<DebugProtocol.Variable[]> {
  const scopes = (await dc.scopesRequest({ frameId: 1 })).body.scopes;
  const found = scopes.find((s) => s.name === scope);
  if (!found) throw new Error(`no scope '${scope}' among ${scopes.map((s) => s.name).join(", ")}`);
  return (await dc.variablesRequest({ variablesReference: found.variablesReference })).body.variables;
}
