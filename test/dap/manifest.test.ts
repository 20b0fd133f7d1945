/**
 * The extension's side of the debugger: the manifest contributes the `nnet`
 * debugger with the launch attributes the adapter reads, breakpoints in .nnet
 * files and the command, and the .vsix ships the CLI bundle that runs `nnet dap`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadProgram } from "../../server/src/dap/index";
import { fixture, root } from "./client";

const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const debuggers = manifest.contributes.debuggers as { type: string; languages: string[]; configurationAttributes: { launch: { properties: Record<string, unknown> } } }[];

describe("the nnet debugger in the manifest", () => {
  it("contributes the debugger, breakpoints for .nnet and the command, activated on debug", () => {
    expect(debuggers.map((d) => d.type)).toEqual(["nnet"]);
    expect(debuggers[0].languages).toEqual(["nnet"]);
    expect(manifest.contributes.breakpoints).toEqual([{ language: "nnet" }]);
    expect(manifest.contributes.commands.map((c: { command: string }) => c.command)).toContain("nnet.debug");
    expect(manifest.activationEvents).toEqual(expect.arrayContaining(["onDebugResolve:nnet", "onDebugInitialConfigurations"]));
    expect(readFileSync(join(root, "client/src/debug.ts"), "utf8")).toMatch(/registerCommand\("nnet\.debug"/);
  });

  it("declares only launch attributes the adapter reads, each checked by it", () => {
    const attributes = Object.keys(debuggers[0].configurationAttributes.launch.properties).sort();
    expect(attributes).toEqual(["batch", "network", "program", "seed", "startAt", "stopOnEntry", "workspace"]);
    const program = fixture("tiny.nnet");
    expect(loadProgram({ program, batch: "sometimes" as never })).toMatchObject({ ok: false, message: expect.stringContaining("'batch' must be") });
    expect(loadProgram({ program, startAt: -1 })).toMatchObject({ ok: false, message: expect.stringContaining("'startAt' must be") });
    expect(loadProgram({ program, seed: 1.5 })).toMatchObject({ ok: false, message: expect.stringContaining("'seed' must be") });
    expect(loadProgram({ program, batch: 3 })).toMatchObject({ ok: false, message: expect.stringContaining("an epoch has 3") });
    expect(loadProgram({ program, network: "tiny", batch: 2, startAt: 1, stopOnEntry: false, seed: 9, workspace: root })).toMatchObject({ ok: true });
  });

  it("ships the CLI bundle the adapter runs from", () => {
    expect(readFileSync(join(root, ".vscodeignore"), "utf8").split("\n")).toContain("!out/cli.js");
  });
});
