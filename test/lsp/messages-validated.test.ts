/**
 * What the server really sends passes the webview's validators whole: a field
 * the engine or the server adds and the validators do not know would be
 * dropped here, and the panel would never see it.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyHostMessage, emptyPanelState, validateHistoryRun, validateHostMessage, validatePanelState,
  type DoneParams, type HostMessage, type JobStarted, type ProgressParams, type RunsResult,
} from "../../server/src/protocol/index";
import { open, serverPath, startClient, type TestClient } from "./client";

/** As postMessage and the panel's saved state carry it. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const classifier = `network ring {
  input x: 2
  layer h: dense 6 tanh
  layer out: dense 1 sigmoid
  loss binary_cross_entropy
  data circles(samples: 80, noise: 0.1)
  train {
    optimizer adam(lr: 0.01)
    stop_early(patience: 2, min_delta: 1)
    epochs 50
    batch 16
    validation 0.25
    seed 3
  }
}
`;
const regression = `network wave {
  input x: 1
  layer h: dense 8 tanh
  layer out: dense 1
  loss mse
  data sine(samples: 40, noise: 0.1)
  train { epochs 4, batch 8 }
}
`;

describe.skipIf(!existsSync(serverPath))("the server's run messages pass the webview validators unchanged", () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => {
    await client?.close();
  });

  async function run(uri: string, text: string): Promise<HostMessage[]> {
    open(client, uri, text);
    await client.diagnostics(uri);
    const progress: HostMessage[] = [];
    client.connection.onNotification("nnet/progress", (params: ProgressParams) => {
      if (params.uri === uri) progress.push({ type: "progress", metrics: params.metrics, ...(params.grid ? { grid: params.grid } : {}) });
    });
    const done = new Promise<DoneParams>((resolveWait) => client.connection.onNotification("nnet/done", (params: DoneParams) => {
      if (params.uri === uri) resolveWait(params);
    }));
    const started = await client.connection.sendRequest<JobStarted>("nnet/train", { uri, gradcheck: true });
    const params = await done;
    expect(params.status).toBe("completed");
    const { runs } = await client.connection.sendRequest<RunsResult>("nnet/runs", { uri });
    return [
      { type: "run", jobId: started.jobId, network: started.network, kind: "train", epochs: started.epochs, summary: started.summary, uri },
      ...progress,
      { type: "done", params },
      { type: "runs", runs },
    ];
  }

  it.each([
    ["a classifier with a validation split, a decision grid, a gradient check and an early stop", "file:///ring.nnet", classifier],
    ["a regression", "file:///wave.nnet", regression],
  ])("%s", async (_what, uri, text) => {
    const messages = wire(await run(uri, text));
    const done = messages.find((m) => m.type === "done");
    // the classifier's run carries every optional part, so none goes unchecked
    if (uri.includes("ring")) {
      expect(done?.type === "done" && done.params).toMatchObject({ report: { kind: "classes" }, gradcheck: { passed: true }, stopped: { monitor: "val_loss" } });
      expect(messages.some((m) => m.type === "progress" && m.grid)).toBe(true);
    } else expect(done?.type === "done" && done.params.report?.kind).toBe("values");
    for (const message of messages) expect(validateHostMessage(message)).toStrictEqual(message);
    const runs = messages.find((m) => m.type === "runs");
    expect(runs?.type === "runs" && runs.runs.length).toBe(1);
    for (const entry of runs?.type === "runs" ? runs.runs : []) expect(validateHistoryRun(entry)).toStrictEqual(entry);
    const state = wire(messages.reduce(applyHostMessage, emptyPanelState()));
    expect(validatePanelState(state)).toStrictEqual(state);
  });
});
