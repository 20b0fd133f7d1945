/**
 * The train block's optimizers, schedules and stop_early through the parser
 * and checker: what valid settings compile to, and the message and range of
 * each mistake (the fixtures hold one file per diagnostic code).
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../server/src/language/index";

const network = (settings: string): string => `network n {
  input x: 2
  layer h: dense 8 tanh
  layer out: dense 1 sigmoid
  loss bce
  data moons(samples: 100)
  train {
${settings}
  }
}
`;

const compiled = (settings: string) => {
  const analysis = analyze(network(settings));
  expect(analysis.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  return analysis.model.networks[0]!.train!;
};

const problems = (settings: string): { code: string; message: string; text: string }[] => {
  const text = network(settings);
  return analyze(text).diagnostics.map((d) => ({ code: d.code, message: d.message, text: text.slice(d.span.start, d.span.end) }));
};

describe("valid settings compile to the engine's spec", () => {
  it("adamw, cosine with warmup and stop_early on val_accuracy", () => {
    const train = compiled("    optimizer adamw(lr: 0.01, weight_decay: 0.05)\n    schedule cosine(min_lr: 1e-4, warmup: 5)\n    stop_early(patience: 12, min_delta: 1e-4, monitor: val_accuracy)\n    validation 0.2");
    expect(train.optimizer).toEqual({ name: "adamw", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05 });
    expect(train.schedule).toEqual({ name: "cosine", minLr: 1e-4, warmup: 5 });
    expect(train.stopEarly).toEqual({ patience: 12, minDelta: 1e-4, monitor: "val_accuracy" });
  });

  it("rmsprop, step, and a bare stop_early with every default", () => {
    const train = compiled("    optimizer rmsprop(lr: 0.01, rho: 0.9, momentum: 0.5)\n    schedule step(every: 30, gamma: 0.5)\n    stop_early\n    validation 0.2");
    expect(train.optimizer).toEqual({ name: "rmsprop", lr: 0.01, rho: 0.9, eps: 1e-8, momentum: 0.5 });
    expect(train.schedule).toEqual({ name: "step", every: 30, gamma: 0.5, warmup: 0 });
    expect(train.stopEarly).toEqual({ patience: 10, minDelta: 0, monitor: "val_loss" });
  });

  it("nesterov sgd, exponential, stop_early on the training loss (no validation needed), on one line", () => {
    const train = compiled("    optimizer sgd(lr: 0.1, momentum: 0.9, nesterov: true), schedule exponential(gamma: 0.95), stop_early(monitor: loss)");
    expect(train.optimizer).toEqual({ name: "sgd", lr: 0.1, momentum: 0.9, nesterov: true });
    expect(train.schedule).toEqual({ name: "exponential", gamma: 0.95, warmup: 0 });
    expect(train.stopEarly?.monitor).toBe("loss");
  });

  it("without a schedule or stop_early the spec has neither (a constant rate, every epoch run)", () => {
    const train = compiled("    optimizer adam(lr: 0.01)");
    expect(train.schedule).toBeUndefined();
    expect(train.stopEarly).toBeUndefined();
  });
});

describe("mistakes are reported at the right place", () => {
  it.each([
    ["    optimizer sgd(lr: 0.1, momentum: 0.9, nesterov: 1)", "nnet/wrong-type", "1", "'nesterov' of sgd must be true or false"],
    ["    stop_early 10\n    validation 0.2", "nnet/wrong-type", "10", "stop_early is 10 but must be its arguments, as in stop_early(patience: 10, monitor: val_loss)"],
    ["    stop_early(patience: 0)\n    validation 0.2", "nnet/non-positive", "0", "'patience' of stop_early"],
    ["    stop_early(min_delta: -1)\n    validation 0.2", "nnet/non-positive", "-1", "'min_delta' of stop_early"],
    ["    stop_early(monitor: \"val_loss\")\n    validation 0.2", "nnet/wrong-type", '"val_loss"', "must be one of val_loss, loss, val_accuracy, written bare"],
    ["    stop_early(monitr: loss)\n    validation 0.2", "nnet/unknown-argument", "monitr", "stop_early has no argument 'monitr'; it takes patience, min_delta, monitor; did you mean 'monitor'?"],
    ["    schedule exponential(gamma: 1.5)", "nnet/out-of-range", "1.5", "'gamma' of exponential"],
    ["    schedule step(every: 2.5)", "nnet/wrong-type", "2.5", "'every' of step must be a whole number"],
    ["    schedule 0.1", "nnet/wrong-type", "0.1", "schedule is 0.1 but must be a schedule such as cosine(min_lr: 1e-4)"],
    ["    optimizer rmsprop(rho: 1)", "nnet/validation-range", "1", "'rho' of rmsprop"],
    ["    optimizer adamw(weight_decay: -0.1)", "nnet/non-positive", "-0.1", "'weight_decay' of adamw"],
    ["    optimizer adamw(lr: 0.01), stop_early(monitor: val_accuracy)", "nnet/monitor-needs-validation", "val_accuracy", "stop_early monitors val_accuracy, which needs a validation set, but validation is 0 (the default)"],
    ["    stop_early", "nnet/monitor-needs-validation", "stop_early", "stop_early monitors val_loss, which needs a validation set"],
    ["    optimizer sgd(lr: 0.1, momentum: 0, nesterov: true)", "nnet/nesterov-without-momentum", "nesterov: true", "nesterov needs momentum"],
    ["    schedule cosine(min_lr: 0.2)", "nnet/min-lr-above-lr", "0.2", "min_lr 0.2 is not below the optimizer's lr 0.1"],
  ])("%s", (settings, code, text, message) => {
    const found = problems(settings).filter((p) => p.code !== "nnet/batch-too-large");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code, text });
    expect(found[0]!.message).toContain(message);
  });

  it("the monitor's misspelling gets a did-you-mean with its fix", () => {
    const text = network("    stop_early(monitor: val_los)\n    validation 0.2");
    const [diagnostic] = analyze(text).diagnostics;
    expect(diagnostic!.message).toBe("'monitor' of stop_early is 'val_los' but must be one of val_loss, loss, val_accuracy; did you mean 'val_loss'?");
    expect(diagnostic!.fixes?.[0]?.edits[0]?.newText).toBe("val_loss");
  });
});
