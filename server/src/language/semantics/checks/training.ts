/** Settings of a train block that only make sense together: nesterov and momentum, a monitor and validation, a schedule and the run. */
import type * as ast from "../../syntax/ast";
import { findArg, paramValue } from "../args";
import { lookup, optimizers } from "../catalog";
import { indentAt, replace, type Accept, type NetworkCheck } from "./registry";

type Settings = Map<string, ast.Setting>;

function settingsOf(block: ast.SettingsBlock): Settings {
  const settings: Settings = new Map();
  for (const setting of block.settings) if (setting.key && !settings.has(setting.key.text)) settings.set(setting.key.text, setting);
  return settings;
}

const callOf = (setting: ast.Setting | undefined): ast.Call | undefined => (setting?.value?.kind === "call" ? setting.value : undefined);
const numberOf = (setting: ast.Setting | undefined): number | undefined => (setting?.value?.kind === "number" ? setting.value.number.value : undefined);

// torch refuses nesterov without momentum: with μ = 0 there is no buffer to look ahead along
function checkNesterov(settings: Settings, accept: Accept): void {
  const call = callOf(settings.get("optimizer"));
  const nesterov = findArg(call, "nesterov");
  if (call?.name?.text !== "sgd" || nesterov?.value?.kind !== "bool" || !nesterov.value.value) return;
  const momentum = paramValue(call, lookup(optimizers, "sgd")!, "momentum");
  if (momentum > 0) return;
  const written = findArg(call, "momentum");
  const fix = written?.value
    ? replace("Use momentum 0.9", written.value.span, "0.9")
    : { title: "Add 'momentum: 0.9'", edits: [{ span: { start: nesterov.span.start, end: nesterov.span.start }, newText: "momentum: 0.9, " }] };
  accept("error", "nnet/nesterov-without-momentum", nesterov.span,
    "nesterov needs momentum: Nesterov's step looks ahead along the momentum buffer, which momentum 0 never fills; add momentum (e.g. 0.9) or drop nesterov",
    { fixes: [fix] });
}

// val_loss is the default monitor, so a bare stop_early needs validation too
function checkMonitor(settings: Settings, text: string, accept: Accept): void {
  const stop = settings.get("stop_early");
  if (!stop) return;
  const monitor = findArg(callOf(stop), "monitor")?.value;
  const watched = monitor ? (monitor.kind === "call" ? monitor.name?.text : undefined) : "val_loss";
  if (!watched?.startsWith("val_") || (numberOf(settings.get("validation")) ?? 0) > 0) return;
  const where = monitor?.span ?? stop.key!.span;
  const validation = settings.get("validation");
  const fixes = [
    validation?.value ? replace("Hold out validation 0.2", validation.value.span, "0.2")
      : { title: "Add 'validation 0.2'", edits: [{ span: { start: stop.span.end, end: stop.span.end }, newText: `\n${indentAt(text, stop.span.start)}validation 0.2` }] },
    ...(monitor ? [replace("Monitor the training loss", monitor.span, "loss")] : []),
  ];
  accept("error", "nnet/monitor-needs-validation", where,
    `stop_early monitors ${watched}, which needs a validation set, but validation is ${validation?.value?.kind === "number" ? validation.value.number.text : "0 (the default)"}; hold out rows with 'validation 0.2' or monitor loss`,
    { fixes });
}

function checkSchedule(settings: Settings, accept: Accept): void {
  const schedule = callOf(settings.get("schedule"));
  const epochs = numberOf(settings.get("epochs")) ?? 100;
  const warmup = findArg(schedule, "warmup")?.value;
  if (warmup?.kind === "number" && warmup.number.value >= epochs) {
    accept("warning", "nnet/warmup-too-long", warmup.span, `warmup ${warmup.number.text} covers all ${epochs} epochs, so the learning rate never reaches lr; use fewer warmup epochs`);
  }
  const minLr = findArg(schedule, "min_lr")?.value;
  const optimizer = callOf(settings.get("optimizer"));
  const info = optimizer?.name ? lookup(optimizers, optimizer.name.text) : lookup(optimizers, "sgd");
  if (schedule?.name?.text !== "cosine" || minLr?.kind !== "number" || !info) return;
  const lr = optimizer ? paramValue(optimizer, info, "lr") : 0.1;
  if (minLr.number.value >= lr) {
    accept("error", "nnet/min-lr-above-lr", minLr.span, `min_lr ${minLr.number.text} is not below the optimizer's lr ${lr}, so cosine would not decay; use a smaller min_lr (e.g. ${lr / 100})`);
  }
}

export const trainingSettings: NetworkCheck = {
  name: "training-settings",
  run(network, accept, context) {
    const block = network.trainBlocks[0];
    if (!block) return;
    const settings = settingsOf(block);
    checkNesterov(settings, accept);
    checkMonitor(settings, context.text, accept);
    checkSchedule(settings, accept);
  },
};
