/**
 * The launch's read of a large CSV over the real `nnet dap` process: DAP
 * progress events for a client that shows them, and a disconnect, terminate
 * or cancel during the read ends it (and, for a disconnect, the adapter).
 * Every wait is on a DAP event, a response or the adapter's exit; the
 * adapter holds the read after its first progress report until it is stopped
 * (NNET_TEST_HOLD_READ), so a stop always lands mid-read.
 */
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { DebugClient } from "@vscode/debugadapter-testsupport";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { removeWorkspaces, workspace, writeCsvRows } from "../training/helpers";
import { bundledCli, startClient, topFrame } from "./client";

const cli = bundledCli();
const features = Array.from({ length: 16 }, (_, k) => `f${k}`);
const cells = (r: number): string =>
  [...features.map((_, k) => (((Math.imul(r + 1, 2654435761) ^ Math.imul(k + 5, 40503)) >>> 0) / 2 ** 32).toFixed(9)), r % 2].join(",");
const network = (file: string): string => `network m {
  input x: ${features.length}
  layer h: dense 4 tanh
  layer out: dense 1 sigmoid
  loss binary_cross_entropy
  data csv("${file}", target: "label")
  train { epochs 1, batch 32, seed 3 }
}
`;

let dir = "";
beforeAll(() => {
  dir = workspace({ "big.nnet": network("big.csv"), "some.nnet": network("some.csv") });
  writeCsvRows(join(dir, "big.csv"), `${features.join(",")},label`, 12 * 2 ** 20, cells);
  writeCsvRows(join(dir, "some.csv"), `${features.join(",")},label`, 6 * 2 ** 20, cells);
});
afterAll(removeWorkspaces);

let dc: DebugClient;
/** the adapter has exited: a disconnect would get no answer */
let gone = false;
afterEach(async () => { if (!gone) await dc.stop(); });

type Progress = DebugProtocol.ProgressStartEvent | DebugProtocol.ProgressUpdateEvent | DebugProtocol.ProgressEndEvent;

/** Initialises as a client that shows progress and launches `file`; answers the events of the read as they come. */
async function launchShowingProgress(file: string, stopOnEntry = true): Promise<{ events: Progress[]; launched: Promise<unknown>; started: Promise<DebugProtocol.Event> }> {
  const events: Progress[] = [];
  for (const kind of ["progressStart", "progressUpdate", "progressEnd"]) dc.on(kind, (event: Progress) => events.push(event));
  await dc.initializeRequest({ adapterID: "nnet", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path", supportsProgressReporting: true });
  const started = dc.waitForEvent("progressStart");
  const launched = dc.launchRequest({ program: join(dir, file), stopOnEntry } as DebugProtocol.LaunchRequestArguments);
  launched.catch(() => {}); // a disconnect may end the adapter before it answers
  return { events, launched, started };
}

const adapterClosed = (): Promise<number | null> => {
  const adapter = (dc as unknown as { _adapterProcess: ChildProcess })._adapterProcess;
  return new Promise((resolve) => adapter.once("close", (code) => resolve(code)));
};

describe("the launch's read of a large CSV", () => {
  beforeEach(async () => { dc = await startClient(cli); gone = false; });

  it("reports its progress by whole percent from start to end, then stops on entry", { timeout: 120_000 }, async () => {
    const { events, launched } = await launchShowingProgress("some.nnet");
    await dc.waitForEvent("initialized");
    await dc.configurationDoneRequest();
    await launched;
    await dc.waitForEvent("stopped");
    expect((await topFrame(dc)).name).toBe("input x");
    expect(events[0]).toMatchObject({ event: "progressStart", body: { progressId: "nnet-load-data", title: "Reading the training data", cancellable: true } });
    expect(events.at(-1)).toMatchObject({ event: "progressEnd", body: { progressId: "nnet-load-data", message: "done" } });
    const percentages = events.slice(0, -1).map((e) => (e.body as { percentage: number }).percentage);
    expect(percentages.at(-1)).toBe(100);
    expect(percentages.every((p, i) => i === 0 || p > percentages[i - 1])).toBe(true);
    expect((events.at(-2)!.body as { message: string }).message).toBe("6 of 6 MiB");
  });
});

describe("the launch's read of a large CSV, stopped", () => {
  const held = { NNET_TEST_HOLD_READ: "1" };
  beforeEach(async () => { dc = await startClient(cli, held); gone = false; });

  it("a disconnect on the first progress event ends the read and the adapter, with exit status 0", { timeout: 120_000 }, async () => {
    const closed = adapterClosed();
    const { events, started } = await launchShowingProgress("big.nnet");
    await started;
    await dc.disconnectRequest({});
    expect(await closed).toBe(0);
    gone = true;
    expect(events.at(-1)).toMatchObject({ event: "progressEnd", body: { message: "stopped" } });
    expect(events.some((e) => (e.body as { percentage?: number }).percentage === 100)).toBe(false);
  });

  it("terminate or the progress's cancel during the read fails the launch and says why", { timeout: 120_000 }, async () => {
    for (const stop of [() => dc.terminateRequest({}), () => dc.customRequest("cancel", { progressId: "nnet-load-data" })]) {
      const { events, launched, started } = await launchShowingProgress("big.nnet");
      await started;
      await stop();
      await expect(launched).rejects.toThrow("the launch was stopped while it read the data");
      expect(events.at(-1)).toMatchObject({ event: "progressEnd", body: { message: "stopped" } });
      await dc.stop();
      dc = await startClient(cli, held);
    }
  });
});
