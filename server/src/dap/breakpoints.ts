/**
 * Line breakpoints as the debugger keeps them: a condition (an expression),
 * a hit count and a log message, checked when forward or backward enters the
 * line (not at every point on it).
 */
import type { NetworkSpec } from "../engine/index";
import { ExprError, parseFormula } from "../language/index";

export interface LineBreakpoint {
  id: number;
  /** 0-based */
  line: number;
  condition?: string;
  hitCondition?: (hits: number) => boolean;
  logMessage?: string;
}

/** `5`, `= 5`, `== 5`, `>= 5`, `> 5`, `< 5`, `<= 5`, `% 5` (every fifth hit); a string says why the text is not one. */
export function parseHitCondition(text: string): ((hits: number) => boolean) | string {
  const match = /^\s*(==?|>=?|<=?|%)?\s*(\d+)\s*$/.exec(text);
  if (!match) return `hit count '${text}' is not a number, optionally after =, >, >=, <, <= or %`;
  const n = Number(match[2]);
  switch (match[1]) {
    case ">": return (h) => h > n;
    case ">=": return (h) => h >= n;
    case "<": return (h) => h < n;
    case "<=": return (h) => h <= n;
    case "%": return n === 0 ? "'% 0' never hits" : (h) => h % n === 0;
    default: return (h) => h === n;
  }
}

/** Why a condition cannot be read over the network, or undefined when it can. */
export function conditionProblem(condition: string, spec: NetworkSpec | undefined): string | undefined {
  try {
    parseFormula(condition, spec);
    return undefined;
  } catch (failure) {
    return failure instanceof ExprError ? `condition: ${failure.message}` : String(failure);
  }
}

/** A logpoint's message with each `{expression}` replaced by its value; `{{` and `}}` stand for braces. */
export function interpolate(message: string, evaluate: (expression: string) => string): string {
  return message.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, expression: string | undefined) => {
    if (whole === "{{") return "{";
    if (whole === "}}") return "}";
    return evaluate((expression ?? "").trim());
  });
}
