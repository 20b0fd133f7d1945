/**
 * Jobs in the worker, through the full path (example file → analyze →
 * compile → worker): learning, reproducibility, divergence, cancellation,
 * worker deaths, and the one-job-per-document policy of the runner.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RunStore, runJob, startJob, TrainingRunner, type JobRequest, type RunnerContext, type WorkerMessage } from "../../server/src/training/index";
import type { DoneParams, ProgressParams } from "../../server/src/protocol/index";
import { bundles, example, request, root, runToEnd, removeWorkspaces } from "./helpers";

const workerPath = bundles().worker;
afterAll(removeWorkspaces);

const trainExample = (name: string, extra: Partial<Parameters<typeof request>[0]> = {}): JobRequest =>
  request({ kind: "train", ...example(name), ...extra });

async function completed(job: JobRequest) {
  const { outcome, epochs } = await runToEnd(job, { workerPath });
  if (outcome.status !== "completed") throw new Error(`job ended ${outcome.status}: ${JSON.stringify(outcome).slice(0, 300)}`);
  return { result: outcome.result, epochs };
}

const last = <T>(items: T[]): T => items[items.length - 1];

describe("learning through the worker", () => {
  it("xor.nnet reaches 100 % accuracy", async () => {
    const { result, epochs } = await completed(trainExample("xor.nnet"));
    expect(epochs.length).toBe(500);
    expect(last(result.history).accuracy).toBe(1);
  });

  it("spiral.nnet reaches ≥ 95 % training accuracy, with decision grids every few epochs and at the end", async () => {
    const { result, epochs } = await completed(trainExample("spiral.nnet"));
    expect(last(result.history).accuracy).toBeGreaterThanOrEqual(0.95);
    const grids = epochs.filter((e) => e.grid);
    expect(grids.length).toBeGreaterThanOrEqual(10);
    expect(result.grid?.values.length).toBe(40 * 40);
    expect(result.grid?.points.length).toBe(320);
  });

  it("iris.nnet reaches ≥ 93 % validation accuracy (standardised on the training part)", async () => {
    const { result } = await completed(trainExample("iris.nnet"));
    expect(result.data).toMatchObject({ rows: 150, train: 120, validation: 30, standardised: true });
    expect(last(result.history).valAccuracy).toBeGreaterThanOrEqual(0.93);
  });

  it("sine.nnet reaches a mean squared error below 0.01", async () => {
    const { result } = await completed(trainExample("sine.nnet"));
    // the loss is ½‖a − y‖² per example, so the mean squared error is twice it
    expect(2 * last(result.history).loss).toBeLessThan(0.01);
  });

  it("residual.nnet and csv.nnet train without error", async () => {
    for (const name of ["residual.nnet", "csv.nnet"]) {
      const { result } = await completed(trainExample(name));
      expect(Number.isFinite(last(result.history).loss)).toBe(true);
    }
  });

  it("weather.nnet reads its three chosen columns and number labels as classes, and reports its metrics on the validation split", async () => {
    const { result } = await completed(trainExample("weather.nnet"));
    expect(result.names?.features).toEqual(["temp_c", "humidity", "pressure_hpa"]);
    expect(result.metrics).toMatchObject({ part: "validation", kind: "classes", names: ["0", "1", "2"] });
    const report = result.metrics?.kind === "classes" ? result.metrics.report : undefined;
    expect(report?.confusion.flat().reduce((a, b) => a + b, 0)).toBe(result.data?.validation);
    expect(report?.accuracy).toBe(last(result.history).valAccuracy);
  });

  it("is bit-for-bit reproducible for the same seed across two worker runs, and differs for another seed", async () => {
    const [a, b, c] = await Promise.all([
      completed(trainExample("spiral.nnet", { epochs: 20 })),
      completed(trainExample("spiral.nnet", { epochs: 20 })),
      completed(trainExample("spiral.nnet", { epochs: 20, seed: 8 })),
    ]);
    expect(JSON.stringify(a.result.weights)).toBe(JSON.stringify(b.result.weights));
    expect(JSON.stringify(a.result.history)).toBe(JSON.stringify(b.result.history));
    expect(JSON.stringify(a.result.weights)).not.toBe(JSON.stringify(c.result.weights));
  });
});

describe("faults", () => {
  it("reports divergence at lr 1e3 with its epoch and layer", async () => {
    const text = example("sine.nnet").text.replace("adam(lr: 0.01)", "sgd(lr: 1e3)");
    const { outcome, epochs } = await runToEnd(request({ kind: "train", text }), { workerPath });
    expect(outcome.status).toBe("failed");
    if (outcome.status !== "failed") return;
    expect(outcome.failure.message).toMatch(/^training diverged in epoch \d+: layer '(h1|h2|y)' has non-finite (activations|gradients|weights) \(NaN or Infinity\); try a smaller learning rate than lr 1000 \(sgd usually needs 0\.001 to 0\.5\)$/);
    expect(outcome.failure.message).toContain(`epoch ${outcome.failure.epoch}: layer '${outcome.failure.layer}'`);
    expect(outcome.failure.history?.length).toBe(epochs.length);
  });

  it("stops mid-epoch, between batches: the engine polls the flag after every batch", () => {
    const job = request({ kind: "train", ...example("spiral.nnet"), epochs: 5 });
    job.train.batch = 1;
    const messages: WorkerMessage[] = [];
    let polls = 0;
    runJob(job, { post: (m) => messages.push(m), shouldStop: () => ++polls > 10 });
    expect(messages.map((m) => m.type)).toEqual(["done"]);
    const done = messages[0] as Extract<WorkerMessage, { type: "done" }>;
    expect(done.result).toMatchObject({ status: "cancelled", history: [] });
  });

  it("a worker stops by the shared flag and answers itself, without being terminated", async () => {
    // 2 000 single-example batches through two 64-unit layers per epoch: the stop comes during a later epoch
    const text = example("spiral.nnet").text.replace("samples: 400,", "samples: 2000,").replace("batch 16", "batch 1").replaceAll("dense 16 tanh", "dense 64 tanh");
    const epochs: number[] = [];
    let firstEpoch!: () => void;
    const started = new Promise<void>((resolve) => (firstEpoch = resolve));
    const handle = startJob(request({ kind: "train", text, epochs: 100_000 }), (m) => {
      epochs.push(m.metrics.epoch);
      firstEpoch();
    }, { workerPath, stopGraceMs: 600_000 });
    await started;
    const outcome = await handle.stop();
    expect(outcome.status).toBe("cancelled");
    if (outcome.status === "failed") return;
    // a terminated worker leaves no weights: these come from the worker's own cancelled result
    expect(outcome.result.weights).toBeDefined();
    expect(outcome.result.history.map((m) => m.epoch)).toEqual(epochs);
  });

  it("terminates a job that cannot notice the stop (one huge batch) after the grace period", async () => {
    let reported!: () => void;
    const running = new Promise<void>((resolve) => (reported = resolve));
    const handle = startJob(quick(), () => reported(), { workerPath: fixture("stuck.cjs"), stopGraceMs: 300 });
    await running;
    const outcome = await handle.stop();
    expect(outcome.status).toBe("cancelled");
    if (outcome.status === "failed") return;
    expect(outcome.result.weights).toBeUndefined();
    expect(outcome.result.history.map((m) => m.epoch)).toEqual([1]);
  });

  const fixture = (name: string): string => join(root, "test/training/fixtures", name);
  const quick = (): JobRequest => trainExample("xor.nnet", { epochs: 5 });

  for (const [name, expected] of [
    ["throws.cjs", "the training worker failed: boom from the worker"],
    ["exits.cjs", "the training worker stopped unexpectedly (exit code 3)"],
    ["oom.cjs", "the training worker ran out of memory; try a smaller network, batch or data set"],
  ] as const) {
    it(`survives a worker that dies (${name}) and runs the next job`, async () => {
      const { outcome } = await runToEnd(quick(), { workerPath: fixture(name), resourceLimits: { maxOldGenerationSizeMb: 48 } });
      expect(outcome).toEqual({ status: "failed", failure: { message: expected } });
      const next = await completed(quick());
      expect(next.result.history.length).toBe(5);
    });
  }

  it("reports the real worker running out of its heap limit, then runs the next job", async () => {
    const text = example("spiral.nnet").text.replace("samples: 400,", "samples: 400000,");
    const { outcome } = await runToEnd(request({ kind: "train", text }), { workerPath, resourceLimits: { maxOldGenerationSizeMb: 16 } });
    expect(outcome).toEqual({ status: "failed", failure: { message: "the training worker ran out of memory; try a smaller network, batch or data set" } });
    expect((await completed(quick())).result.history.length).toBe(5);
  });

  it("fails clearly when the worker bundle is missing", async () => {
    const { outcome } = await runToEnd(quick(), { workerPath: join(root, "no-such-worker.js") });
    expect(outcome.status === "failed" && outcome.failure.message).toContain("the training worker is missing");
  });
});

interface Recorded {
  context: RunnerContext;
  progress: ProgressParams[];
  done: Promise<DoneParams>;
  firstProgress: Promise<void>;
}

/** A document whose job events are recorded in `store`, as the language server records them. */
function documentContext(uri: string, text: string, path?: string, store = new RunStore()): Recorded {
  const progress: ProgressParams[] = [];
  let finish!: (params: DoneParams) => void;
  const done = new Promise<DoneParams>((resolve) => (finish = resolve));
  let progressed!: () => void;
  const firstProgress = new Promise<void>((resolve) => (progressed = resolve));
  return {
    progress, done, firstProgress,
    context: { uri, text, version: 1, ...(path ? { path } : {}), progress: (p) => { store.progress(p, 1); progress.push(p); progressed(); },
      done: (p, ended) => { store.done(p, { version: 1, text, ...ended }); finish(p); } },
  };
}

describe("the runner: one job per document, documents in parallel", () => {
  it("runs two documents at once, refuses a second job for a busy document, and the store keeps each document's last run", async () => {
    const runner = new TrainingRunner({ workerPath });
    const store = new RunStore();
    const spiral = example("spiral.nnet");
    const a = documentContext("file:///a.nnet", spiral.text, spiral.path, store);
    const b = documentContext("file:///b.nnet", example("xor.nnet").text, undefined, store);
    const startedA = await runner.train({ uri: a.context.uri, gradcheck: true }, a.context);
    const startedB = await runner.train({ uri: b.context.uri }, b.context);
    expect(startedA).toMatchObject({ network: "spiral", epochs: 300 });
    expect(startedA.summary.totalParams).toBe(337);
    expect(startedB.jobId).not.toBe(startedA.jobId);
    await expect(runner.train({ uri: a.context.uri }, a.context)).rejects.toThrow(`a job (${startedA.jobId}) is already running for this document`);
    await expect(runner.gradcheck({ uri: a.context.uri }, a.context)).rejects.toThrow("already running");
    const [doneA, doneB] = await Promise.all([a.done, b.done]);
    expect(doneA).toMatchObject({ status: "completed", network: "spiral", kind: "train" });
    expect(doneA.gradcheck?.passed).toBe(true);
    expect(doneB).toMatchObject({ status: "completed", network: "xor" });
    expect(a.progress.every((p) => p.jobId === startedA.jobId && p.uri === a.context.uri)).toBe(true);
    expect(b.progress.every((p) => p.jobId === startedB.jobId)).toBe(true);
    expect(a.progress.length).toBe(300);
    const lastA = store.lastRun(a.context.uri, "spiral");
    expect(lastA).toMatchObject({ status: "completed", kind: "train" });
    expect(lastA?.history.length).toBe(300);
    expect(lastA?.layers.map((l) => l.layer)).toEqual(["h1", "h2", "out"]);
    expect(lastA?.layers.every((l) => l.gradNorm > 0 && l.meanAbsDelta > 0)).toBe(true);
    expect(lastA?.gradcheck?.rows.length).toBe(6);
    // the document is free again
    const again = documentContext(a.context.uri, example("xor.nnet").text, undefined, store);
    await runner.gradcheck({ uri: a.context.uri }, again.context);
    expect((await again.done).gradcheck?.passed).toBe(true);
    expect(store.lastRun(a.context.uri, "xor")?.kind).toBe("gradcheck");
    expect(store.history.list(a.context.uri).map((run) => `${run.network} ${run.kind} ${run.history.length}`)).toEqual(["xor gradcheck 0", "spiral train 300"]);
    // the spiral run is still the document's last saveable training run
    expect(store.lastRun(a.context.uri)?.network).toBe("spiral");
    expect(store.lastRun(a.context.uri)?.saveable?.result.weights).toBeDefined();
  });

  it("stops a document's job, and refuses a file with errors with FILE:LINE:COL", async () => {
    const runner = new TrainingRunner({ workerPath });
    const text = example("spiral.nnet").text.replace("epochs 300", "epochs 100000");
    const doc = documentContext("file:///slow.nnet", text);
    await runner.train({ uri: doc.context.uri }, doc.context);
    await doc.firstProgress;
    expect(runner.busy(doc.context.uri)).toBe(true);
    expect(await runner.stop({ uri: doc.context.uri })).toEqual({ stopped: 1 });
    const done = await doc.done;
    expect(done.status).toBe("cancelled");
    expect(done.history?.length).toBeGreaterThan(0);
    const broken = documentContext("file:///broken.nnet", "network n {\n  input x: 2\n  layer out: dense 1 tahn\n  loss mse\n  data xor\n}\n", "/w/broken.nnet");
    await expect(runner.train({ uri: broken.context.uri }, broken.context)).rejects.toThrow("/w/broken.nnet:3:22: error nnet/unknown-activation");
    const missing = documentContext("file:///nodata.nnet", "network n {\n  input x: 2\n  layer out: dense 1 sigmoid\n  loss bce\n}\n");
    await expect(runner.train({ uri: missing.context.uri }, missing.context)).rejects.toThrow("nnet/missing-data");
  });

  it("names the failing layer's line for divergence", async () => {
    const runner = new TrainingRunner({ workerPath });
    const doc = documentContext("file:///div.nnet", example("sine.nnet").text.replace("adam(lr: 0.01)", "sgd(lr: 1e3)"));
    await runner.train({ uri: doc.context.uri }, doc.context);
    const done = await doc.done;
    expect(done.status).toBe("failed");
    expect(done.message).toContain("training diverged in epoch");
    // layers h1, h2, y are declared on lines 5–7 (0-based 4–6)
    const lineOfLayer = { h1: 4, h2: 5, y: 6 } as Record<string, number>;
    const layer = /layer '(\w+)'/.exec(done.message ?? "")?.[1] ?? "";
    expect(done.line).toBe(lineOfLayer[layer]);
  });
});
