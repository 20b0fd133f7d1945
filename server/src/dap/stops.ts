/**
 * Whether the point a stepper has just run stops the run: an exception
 * filter (filters.ts), or a breakpoint on a line that forward or backward has
 * just entered, after its condition, hit count and log message.
 */
import type { Stepper } from "../engine/index";
import { interpolate, type LineBreakpoint } from "./breakpoints";
import { exceptionAt, type Exception, type Filter } from "./filters";
import { NotComputedError, truth } from "../language/index";
import { evaluateAt } from "./expr";
import { valueText } from "./inspect";
import { lineOf, type Program } from "./program";

export interface Hit {
  reason: "breakpoint" | "exception";
  text?: string;
  ids?: number[];
  exception?: Exception;
}

export interface StopRules {
  program: Program;
  breakpoints: Map<number, LineBreakpoint>;
  filters: ReadonlySet<Filter>;
  /** filters that stopped earlier in this run: each stops once (later NaNs follow from the first) */
  reported: ReadonlySet<Filter>;
  /** whether to print logpoints and condition failures (false in a replay: forward execution printed them) */
  live: boolean;
  /** per breakpoint id: how often its line was entered with its condition true, since the start of the run */
  hits: Map<number, number>;
  /** where a live run's messages go (logpoints, conditions that fail), with the 0-based line */
  print(text: string, category: "console" | "stderr", line: number): void;
}

export function hitAt(stepper: Stepper, rules: StopRules): Hit | undefined {
  const { program, live } = rules;
  const point = stepper.point;
  if (!point) return undefined;
  const exception = exceptionAt(stepper, program, rules.filters, rules.reported);
  if (exception) return { reason: "exception", text: exception.description, exception };
  const line = lineOf(program, stepper.network, point);
  const bp = rules.breakpoints.get(line);
  if (!bp) return undefined;
  const previous = stepper.pointIndex > 0 ? stepper.plan[stepper.pointIndex - 1] : undefined;
  if (previous && previous.phase === point.phase && lineOf(program, stepper.network, previous) === line) return undefined;
  const value = (text: string) => evaluateAt(text, program.config.spec, stepper).value;
  if (bp.condition) {
    try {
      if (!truth(value(bp.condition))) return undefined;
    } catch (failure) {
      // `norm(delta.h1) < 1e-3` on h1's line is about backward: at the forward entry it is simply false
      if (failure instanceof NotComputedError) return undefined;
      // any other failure stops, and says why, rather than being silently false
      if (live) rules.print(`breakpoint condition '${bp.condition}': ${(failure as Error).message}`, "stderr", line);
      return { reason: "breakpoint", ids: [bp.id] };
    }
  }
  const hits = (rules.hits.get(bp.id) ?? 0) + 1;
  rules.hits.set(bp.id, hits);
  if (bp.hitCondition && !bp.hitCondition(hits)) return undefined;
  if (bp.logMessage !== undefined) {
    if (live) rules.print(interpolate(bp.logMessage, (expression) => {
      try {
        return valueText(value(expression));
      } catch (failure) {
        return `<${(failure as Error).message}>`;
      }
    }), "console", line);
    return undefined;
  }
  return { reason: "breakpoint", ids: [bp.id] };
}
