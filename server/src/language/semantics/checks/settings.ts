/** train { … } and gradcheck { … }: known keys, one value each, of the right type and range. */
import type * as ast from "../../syntax/ast";
import { gradcheckKeys, optimizers, trainKeys, type KeyInfo } from "../catalog";
import { closest, didYouMean } from "../../suggest";
import { callKinds, checkCall } from "./names";
import { suggestionFix, type Accept, type NetworkCheck } from "./registry";

const describeKind: Record<KeyInfo["kind"], string> = {
  optimizer: "an optimizer such as adam(lr: 0.01) or sgd(lr: 0.1)",
  count: "a whole number greater than 0",
  batch: "a whole number greater than 0, or full",
  fraction: "a number in [0, 1)",
  integer: "a whole number",
  bool: "true or false",
  "non-negative": "a number, 0 or more",
  positive: "a number greater than 0",
};

function rightType(kind: KeyInfo["kind"], value: ast.Value): boolean {
  switch (kind) {
    case "optimizer": return value.kind === "call";
    case "bool": return value.kind === "bool";
    case "batch": return value.kind === "full" || (value.kind === "number" && Number.isInteger(value.number.value));
    case "count":
    case "integer": return value.kind === "number" && Number.isInteger(value.number.value);
    default: return value.kind === "number";
  }
}

function found(value: ast.Value): string {
  switch (value.kind) {
    case "number": return value.number.text;
    case "string": return `the string "${value.string.value}"`;
    case "bool": return String(value.value);
    case "full": return "full";
    default: return `the call ${value.name?.text ?? ""}(…)`;
  }
}

function checkRange(key: KeyInfo, value: ast.Value, accept: Accept): void {
  if (value.kind !== "number") return;
  const n = value.number.value;
  const what = `${key.name} is ${value.number.text} but must be ${describeKind[key.kind]}`;
  if ((key.kind === "count" || key.kind === "batch" || key.kind === "positive") && !(n > 0)) accept("error", "nnet/non-positive", value.span, what);
  if (key.kind === "non-negative" && !(n >= 0)) accept("error", "nnet/non-positive", value.span, what);
  if (key.kind === "fraction" && !(n >= 0 && n < 1)) accept("error", "nnet/validation-range", value.span, `${what}: the fraction of rows held out for validation, with some left to train on`);
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
  if (!value) return accept("error", "nnet/missing-value", keyName.span, `'${key.name}' needs a value: ${describeKind[key.kind]} (default ${key.default})`);
  if (!rightType(key.kind, value)) return accept("error", "nnet/wrong-type", value.span, `${key.name} is ${found(value)} but must be ${describeKind[key.kind]}`);
  if (key.kind === "optimizer") checkCall(value as ast.Call, callKinds.optimizer, accept);
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
