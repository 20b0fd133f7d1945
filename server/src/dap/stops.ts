/**
 * Whether the point a stepper has just run stops the run: the first
 * non-finite value of the run, or a breakpoint on a line that forward or
 * backward has just entered, after its condition, hit count and log message.
 * A live run counts hits and prints logpoints; a replay (Reverse Continue)
 * does neither, and so passes over logpoints and counted breakpoints.
 */
import type { NonFinite, Stepper } from "../engine/index";
import { interpolate, type LineBreakpoint } from "./breakpoints";
import { evaluate, NotComputedError, truth } from "./expr";
import { lookupFor, valueText } from "./inspect";
import { lineOf, type Program } from "./program";

export interface Hit {
  reason: "breakpoint" | "exception";
  text?: string;
  ids?: number[];
  nonFinite?: NonFinite;
}

export interface StopRules {
  program: Program;
  breakpoints: Map<number, LineBreakpoint>;
  stopOnNonFinite: boolean;
  /** a non-finite value was reported already: later ones, which follow from it, are not */
  nonFiniteSeen: boolean;
  live: boolean;
  /** where a live run's messages go (logpoints, conditions that fail), with the 0-based line */
  print(text: string, category: "console" | "stderr", line: number): void;
}

export function describeNonFinite(bad: NonFinite): string {
  return `non-finite value (NaN or Infinity): ${bad.quantity} of layer '${bad.node}' is the first quantity to become non-finite`;
}

export function hitAt(stepper: Stepper, rules: StopRules): Hit | undefined {
  const { program, live } = rules;
  const point = stepper.point;
  if (!point) return undefined;
  if (rules.stopOnNonFinite && !rules.nonFiniteSeen) {
    const bad = stepper.nonFinite();
    if (bad) return { reason: "exception", text: describeNonFinite(bad), nonFinite: bad };
  }
  const line = lineOf(program, stepper.network, point);
  const bp = rules.breakpoints.get(line);
  if (!bp) return undefined;
  const previous = stepper.pointIndex > 0 ? stepper.plan[stepper.pointIndex - 1] : undefined;
  if (previous && previous.phase === point.phase && lineOf(program, stepper.network, previous) === line) return undefined;
  const lookup = lookupFor(stepper, program.config.train);
  if (bp.condition) {
    try {
      if (!truth(evaluate(bp.condition, lookup))) return undefined;
    } catch (failure) {
      // `norm(delta.h1) < 1e-3` on h1's line is about backward: at the forward entry it is simply false
      if (failure instanceof NotComputedError) return undefined;
      // any other failure stops, and says why, rather than being silently false
      if (live) rules.print(`breakpoint condition '${bp.condition}': ${(failure as Error).message}`, "stderr", line);
      return { reason: "breakpoint", ids: [bp.id] };
    }
  }
  if (!live) return bp.logMessage !== undefined || bp.hitCondition ? undefined : { reason: "breakpoint", ids: [bp.id] };
  bp.hits++;
  if (bp.hitCondition && !bp.hitCondition(bp.hits)) return undefined;
  if (bp.logMessage !== undefined) {
    rules.print(interpolate(bp.logMessage, (expression) => {
      try {
        return valueText(evaluate(expression, lookup));
      } catch (failure) {
        return `<${(failure as Error).message}>`;
      }
    }), "console", line);
    return undefined;
  }
  return { reason: "breakpoint", ids: [bp.id] };
}
