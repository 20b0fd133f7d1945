/** train { … } and gradcheck { … }: known keys, one value each, of the right type and range. */
import type * as ast from "../../syntax/ast";
import { gradcheckKeys, optimizers, trainKeys, type KeyInfo } from "../catalog";
import { closest, didYouMean } from "../../suggest";
import { callKinds, checkCall } from "./names";
import { describeRange, rangeIssue } from "../ranges";
import { suggestionFix, type Accept, type NetworkCheck } from "./registry";

function describeKey(key: KeyInfo): string {
  switch (key.kind) {
    case "optimizer": return "an optimizer such as adam(lr: 0.01) or sgd(lr: 0.1)";
    case "schedule": return "a schedule such as cosine(min_lr: 1e-4) or step(every: 30, gamma: 0.5)";
    case "stop-early": return "its arguments, as in stop_early(patience: 10, monitor: val_loss)";
    case "bool": return "true or false";
    case "batch": return `${describeRange(key.range!)}, or full`;
    default: return describeRange(key.range!);
  }
}

// Wholeness is a type question, asked only of finite numbers: 1e309 is out of range, not "not whole".
function rightType(key: KeyInfo, value: ast.Value): boolean {
  const whole = value.kind === "number" && (Number.isInteger(value.number.value) || !Number.isFinite(value.number.value));
  switch (key.kind) {
    case "optimizer":
    case "schedule": return value.kind === "call";
    case "stop-early": return value.kind === "call" && value.name?.text === key.name;
    case "bool": return value.kind === "bool";
    case "batch": return value.kind === "full" || whole;
    case "count":
    case "integer": return whole;
    default: return value.kind === "number";
  }
}

function found(value: ast.Value): string {
  switch (value.kind) {
    case "number": return value.number.text;
    case "string": return `the string "${value.string.value}"`;
    case "bool": return String(value.value);
    case "full": return "full";
    case "list": return "a list";
    default: return `the call ${value.name?.text ?? ""}(…)`;
  }
}

function checkRange(key: KeyInfo, value: ast.Value, accept: Accept): void {
  if (value.kind !== "number" || !key.range) return;
  const note = key.name === "validation" ? "the fraction of rows held out for validation, with some left to train on" : "";
  const issue = rangeIssue(key.range, value.number.value, key.name, value.number.text, note);
  if (issue) accept("error", issue.code, value.span, key.kind === "batch" ? `${issue.message}, or full` : issue.message);
}

// `momentum 0.9` or `lr 0.01` in a train block belong inside the optimizer call
function optimizerArgument(block: ast.SettingsBlock, name: string): string {
  if (block.kind !== "train") return "";
  const owner = optimizers.find((optimizer) => optimizer.params.some((param) => param.name === name));
  return owner ? `; '${name}' is an argument of the optimizer, as in 'optimizer ${owner.name}(${name}: …)'` : "";
}

function checkSetting(block: ast.SettingsBlock, setting: ast.Setting, keys: KeyInfo[], accept: Accept): void {
  const keyName = setting.key!;
  const key = keys.find((candidate) => candidate.name === keyName.text);
  if (!key) {
    const suggestion = closest(keyName.text, keys.map((candidate) => candidate.name));
    accept("error", "nnet/unknown-key", keyName.span,
      `'${keyName.text}' is not a ${block.kind} setting${optimizerArgument(block, keyName.text) || didYouMean(suggestion) || `; expected one of ${keys.map((candidate) => candidate.name).join(", ")}`}`,
      { fixes: suggestionFix(keyName.span, suggestion) });
    return;
  }
  const value = setting.value;
  if (!value && key.kind === "stop-early") return; // bare `stop_early`: every argument has its default
  if (!value) return accept("error", "nnet/missing-value", keyName.span, `'${key.name}' needs a value: ${describeKey(key)} (default ${key.default})`);
  if (!rightType(key, value)) return accept("error", "nnet/wrong-type", value.span, `${key.name} is ${found(value)} but must be ${describeKey(key)}`);
  if (key.kind === "optimizer") checkCall(value as ast.Call, callKinds.optimizer, accept);
  else if (key.kind === "schedule") checkCall(value as ast.Call, callKinds.schedule, accept);
  else if (key.kind === "stop-early") checkCall(value as ast.Call, callKinds.stopEarly, accept);
  else checkRange(key, value, accept);
}

function checkBlock(block: ast.SettingsBlock, accept: Accept): void {
  const keys = block.kind === "train" ? trainKeys : gradcheckKeys;
  const seen = new Map<string, ast.Span>();
  for (const setting of block.settings) {
    if (!setting.key) continue;
    const first = seen.get(setting.key.text);
    if (first) {
      accept("error", "nnet/duplicate-key", setting.key.span, `'${setting.key.text}' is set twice in ${block.kind}; keep one`, {
        related: [{ message: "first set here", span: first }],
      });
      continue;
    }
    seen.set(setting.key.text, setting.key.span);
    checkSetting(block, setting, keys, accept);
  }
}

export const settingsBlocks: NetworkCheck = {
  name: "settings",
  run(network, accept) {
    for (const block of [...network.trainBlocks, ...network.gradcheckBlocks]) checkBlock(block, accept);
  },
};
