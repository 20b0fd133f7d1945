/** Names resolved against the catalog, and the arguments of every call. */
import type * as ast from "../../syntax/ast";
import {
  activations, dataSources, foreignNames, initialisers, lookup, losses, optimizers, schedules, spellings, stopEarly,
  type ForeignKind, type NameInfo, type ParamInfo,
} from "../catalog";
import type { NetworkModel } from "../model";
import { closest, didYouMean } from "../../suggest";
import { describeRange, rangeIssue } from "../ranges";
import { suggestionFix, type Accept, type NetworkCheck } from "./registry";

interface CallKind {
  what: string;
  code: string;
  table: readonly NameInfo[];
  foreign?: ForeignKind;
}

export const callKinds = {
  activation: { what: "activation", code: "nnet/unknown-activation", table: activations, foreign: "activation" },
  loss: { what: "loss", code: "nnet/unknown-loss", table: losses, foreign: "loss" },
  init: { what: "initialiser", code: "nnet/unknown-init", table: initialisers, foreign: "init" },
  optimizer: { what: "optimizer", code: "nnet/unknown-optimizer", table: optimizers, foreign: "optimizer" },
  data: { what: "data source", code: "nnet/unknown-data-source", table: dataSources },
  schedule: { what: "schedule", code: "nnet/unknown-schedule", table: schedules },
  stopEarly: { what: "setting", code: "nnet/unknown-key", table: [stopEarly] },
} satisfies Record<string, CallKind>;

// Wholeness is asked only of finite numbers: 1e309 is out of range, not "not whole".
function typeProblem(param: ParamInfo, value: ast.Value): string | undefined {
  if (param.kind === "string") return value.kind === "string" ? undefined : "a quoted string";
  if (param.kind === "bool") return value.kind === "bool" ? undefined : "true or false";
  if (param.kind === "choice") return value.kind === "call" && value.args.length === 0 ? undefined : `one of ${param.choices!.join(", ")}, written bare`;
  if (param.kind === "columns") {
    const names = value.kind === "list" ? value.items : [value];
    return names.length > 0 && names.every((item) => item.kind === "string") ? undefined : 'a column name or a list of them, such as ["a", "b"]';
  }
  if (value.kind !== "number") return "a number";
  const n = value.number.value;
  if (param.range?.whole && Number.isFinite(n) && !Number.isInteger(n)) return describeRange(param.range);
  return undefined;
}

function checkArgValue(call: ast.Call, arg: ast.Arg, param: ParamInfo, accept: Accept): void {
  const value = arg.value;
  const where = `'${param.name}' of ${call.name!.text}`;
  if (!value) return accept("error", "nnet/missing-value", arg.span, `${where} needs a value (${param.doc})`);
  const expected = typeProblem(param, value);
  if (expected) return accept("error", "nnet/wrong-type", value.span, `${where} must be ${expected} (${param.doc})`);
  if (param.kind === "choice" && value.kind === "call") return checkChoice(param, value, where, accept);
  if (value.kind !== "number" || !param.range) return;
  const issue = rangeIssue(param.range, value.number.value, where, value.number.text, param.doc);
  if (issue) accept("error", issue.code, value.span, issue.message);
}

function checkChoice(param: ParamInfo, value: ast.Call, where: string, accept: Accept): void {
  const written = value.name?.text ?? "";
  if (param.choices!.includes(written)) return;
  const suggestion = closest(written, [...param.choices!]);
  accept("error", "nnet/unknown-choice", value.span, `${where} is '${written}' but must be one of ${param.choices!.join(", ")}${didYouMean(suggestion)}`, {
    fixes: suggestionFix(value.span, suggestion),
  });
}

function positionalOk(info: NameInfo, arg: ast.Arg, index: number): boolean {
  return info.name === "csv" && index === 0 && arg.value?.kind === "string";
}

// The parameter an unnamed argument most likely means: the next one, in order, that no argument names.
function likelyParam(call: ast.Call, info: NameInfo, index: number): NameInfo["params"][number] | undefined {
  const named = new Set(call.args.flatMap((arg, i) => (arg.name ? [arg.name.text] : positionalOk(info, arg, i) ? ["path"] : [])));
  const free = info.params.filter((param) => !named.has(param.name));
  const before = call.args.slice(0, index).filter((arg, i) => !arg.name && !positionalOk(info, arg, i)).length;
  return free[before] ?? free[0] ?? info.params[0];
}

function checkArgs(call: ast.Call, info: NameInfo, accept: Accept): void {
  const seen = new Set<string>();
  call.args.forEach((arg, index) => {
    if (!arg.name) {
      if (positionalOk(info, arg, index)) return void seen.add("path");
      const first = likelyParam(call, info, index);
      const hint = first ? `; write '${first.name}: ${arg.value?.kind === "number" ? arg.value.number.text : arg.value?.kind === "string" ? JSON.stringify(arg.value.string.value) : "VALUE"}'` : `; ${info.name} takes no arguments`;
      const fixes = first && arg.value ? [{ title: `Name it '${first.name}'`, edits: [{ span: { start: arg.span.start, end: arg.span.start }, newText: `${first.name}: ` }] }] : undefined;
      return accept("error", "nnet/positional-argument", arg.span, `arguments of ${info.name} are named${hint}`, { fixes });
    }
    const param = info.params.find((candidate) => candidate.name === arg.name!.text);
    if (!param) {
      const names = info.params.map((candidate) => candidate.name);
      const suggestion = closest(arg.name.text, names);
      const known = names.length > 0 ? `; it takes ${names.join(", ")}` : `; ${info.name} takes no arguments`;
      return accept("error", "nnet/unknown-argument", arg.name.span, `${info.name} has no argument '${arg.name.text}'${known}${didYouMean(suggestion)}`, {
        fixes: suggestionFix(arg.name.span, suggestion),
      });
    }
    if (seen.has(param.name)) return accept("error", "nnet/duplicate-argument", arg.name.span, `'${param.name}' is given twice; keep one`);
    seen.add(param.name);
    checkArgValue(call, arg, param, accept);
  });
  if (info.name === "csv") checkCsvArgs(call, seen, accept);
}

function checkCsvArgs(call: ast.Call, seen: Set<string>, accept: Accept): void {
  if (!seen.has("path")) accept("error", "nnet/missing-argument", call.span, 'csv needs a file path first: csv("data/file.csv", target: "column")');
  if (!seen.has("target")) accept("error", "nnet/missing-argument", call.span, 'csv needs the target column: csv("…", target: "column")');
}

/** Checks one call: its name against the table (with a suggestion) and then its arguments. */
export function checkCall(call: ast.Call | undefined, kind: CallKind, accept: Accept): void {
  if (!call?.name) return;
  const info = lookup(kind.table, call.name.text);
  const foreign = info || !kind.foreign ? undefined : Object.hasOwn(foreignNames[kind.foreign], call.name.text) ? foreignNames[kind.foreign][call.name.text] : undefined;
  if (foreign && lookup(kind.table, foreign.ours)) {
    accept("error", "nnet/foreign-name", call.name.span,
      `'${call.name.text}' is the ${foreign.from} name; the ${kind.what} here is '${foreign.ours}'`, { fixes: suggestionFix(call.name.span, foreign.ours) });
    if (call.args.length > 0) checkArgs(call, lookup(kind.table, foreign.ours)!, accept);
    return;
  }
  if (!info) {
    const suggestion = closest(call.name.text, spellings(kind.table));
    const known = kind.table.map((entry) => entry.name).join(", ");
    accept("error", kind.code, call.name.span, `unknown ${kind.what} '${call.name.text}'${didYouMean(suggestion) || `; expected one of ${known}`}`, {
      fixes: suggestionFix(call.name.span, suggestion),
    });
    return;
  }
  checkArgs(call, info, accept);
}

export const knownNames: NetworkCheck = {
  name: "known-names",
  run(network: NetworkModel, accept) {
    for (const layer of network.layers) {
      const body = layer.entry.body;
      if (body?.kind !== "dense") continue;
      checkCall(body.activation, callKinds.activation, accept);
      checkCall(body.init, callKinds.init, accept);
    }
    for (const entry of network.losses) checkCall(entry.loss, callKinds.loss, accept);
    for (const entry of network.dataEntries) {
      if (entry.source?.kind === "call") checkCall(entry.source, callKinds.data, accept);
    }
  },
};
