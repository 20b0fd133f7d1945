/** Reading a call's arguments by name, with the catalog's defaults. */
import type * as ast from "../syntax/ast";
import type { NameInfo } from "./catalog";

export function findArg(call: ast.Call | undefined, name: string): ast.Arg | undefined {
  return call?.args.find((arg) => arg.name?.text === name);
}

/** The number written, whatever it is (the range check reports a bad one); the fallback only when none is written. */
export function numberArg(call: ast.Call | undefined, name: string, fallback: number): number {
  const value = findArg(call, name)?.value;
  return value?.kind === "number" ? value.number.value : fallback;
}

export function stringArg(call: ast.Call | undefined, name: string): ast.StringLit | undefined {
  const value = findArg(call, name)?.value;
  return value?.kind === "string" ? value.string : undefined;
}

/** A parameter's value, or its catalog default. */
export function paramValue(call: ast.Call | undefined, info: NameInfo, name: string): number {
  const fallback = info.params.find((param) => param.name === name)?.default;
  return numberArg(call, name, typeof fallback === "number" ? fallback : NaN);
}

export const isWholePositive = (value: number | undefined): value is number => value !== undefined && Number.isInteger(value) && value > 0;
