/**
 * The valid range of every number the language takes. A number outside its
 * range is an error at its token: nothing the user wrote is ever replaced by
 * a default (issue 11). `1e309` reads as Infinity, so finiteness is part of
 * every range.
 */

export interface NumberRange {
  min: number;
  /** true when min itself is excluded */
  minOpen?: boolean;
  /** undefined: any finite number */
  max?: number;
  maxOpen?: boolean;
  whole?: boolean;
}

/** Parameters a network may have in all: above this the checker refuses it (docs/diagnostics.md). */
export const maxParameters = 64_000_000;
/** Epochs, rows, batch sizes, samples and classes: more is a typo, or a run that would never end. */
export const maxCount = 1_000_000;

export const positive: NumberRange = { min: 0, minOpen: true };
export const nonNegative: NumberRange = { min: 0 };
export const fraction: NumberRange = { min: 0, max: 1, maxOpen: true };
export const count = (max = maxCount, min = 1): NumberRange => ({ min, max, whole: true });
/** units: the parameter limit bounds them, so only the lower end is checked here */
export const units: NumberRange = { min: 1, whole: true };
/** seeds: beyond 2^53 neighbouring whole numbers are the same float64, so two seeds would silently coincide */
export const seed: NumberRange = { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, whole: true };
export const finite: NumberRange = { min: -Infinity };

const show = (n: number): string => (Math.abs(n) >= 1e4 && Number.isInteger(n) ? n.toLocaleString("en-US") : String(n));

/** "a number greater than 0", "a whole number from 1 to 1,000,000", "a number in [0, 1)". */
export function describeRange(range: NumberRange): string {
  const kind = range.whole ? "a whole number" : "a number";
  if (range.min === -Infinity) return `a finite ${kind.slice(2)}`;
  if (range.max === undefined) return range.minOpen ? `${kind} greater than ${show(range.min)}` : `${kind}, ${show(range.min)} or more`;
  if (range.whole) return `${kind} from ${show(range.min)} to ${show(range.max)}`;
  return `${kind} in ${range.minOpen ? "(" : "["}${show(range.min)}, ${show(range.max)}${range.maxOpen ? ")" : "]"}`;
}

export type RangeProblem = "not-finite" | "below" | "above";

/** What is wrong with a number against its range; wholeness is a type question, checked apart. */
export function rangeProblem(range: NumberRange, n: number): RangeProblem | undefined {
  if (!Number.isFinite(n)) return "not-finite";
  if (range.minOpen ? !(n > range.min) : !(n >= range.min)) return "below";
  if (range.max !== undefined && (range.maxOpen ? !(n < range.max) : !(n <= range.max))) return "above";
  return undefined;
}

// The codes that predate out-of-range keep their meaning: 0 or a negative, and a fraction outside [0, 1).
function codeOf(range: NumberRange, problem: RangeProblem, n: number): string {
  if (problem === "not-finite") return "nnet/out-of-range";
  if (range === fraction) return "nnet/validation-range";
  if (problem === "below" && n <= 0 && range.min >= 0) return "nnet/non-positive";
  return "nnet/out-of-range";
}

export interface RangeIssue {
  code: string;
  message: string;
}

/**
 * The diagnostic for `subject` written as `text` (value n), or undefined when
 * it lies in range. `note` says what the value is for.
 */
export function rangeIssue(range: NumberRange, n: number, subject: string, text: string, note = ""): RangeIssue | undefined {
  const problem = rangeProblem(range, n);
  if (!problem) return undefined;
  const found = problem === "not-finite"
    ? `${subject} is ${text}, which overflows float64 (whose largest number is about 1.8e308)`
    : `${subject} is ${text}`;
  const tail = note ? ` (${note})` : "";
  return { code: codeOf(range, problem, n), message: `${found}; it must be ${describeRange(range)}${tail}` };
}
