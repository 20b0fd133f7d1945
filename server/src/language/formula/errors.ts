/**
 * The one kind of failure of an expression: a plain message for the user.
 * Parsing and evaluating throw nothing else on any input.
 */
export class ExprError extends Error {}

/** A quantity the current point has not computed yet: a breakpoint condition is then false, not failed. */
export class NotComputedError extends ExprError {}
