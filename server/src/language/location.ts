/** How a place in a .nnet file is printed for terminals and logs, in one place. */
import type { LineIndex } from "./line-index";
import type { Diagnostic } from "./semantics/index";

/** FILE:LINE:COL, 1-based, the column in code points, as Vim's quickfix and Emacs' compile mode read it. */
export function location(file: string, lines: LineIndex, offset: number): string {
  return `${file}:${lines.position(offset).line + 1}:${lines.codePointColumn(offset) + 1}`;
}

/** FILE:LINE:COL: SEVERITY CODE: MESSAGE, the one line a diagnostic prints as. */
export function diagnosticLine(file: string, lines: LineIndex, diagnostic: Diagnostic): string {
  return `${location(file, lines, diagnostic.span.start)}: ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`;
}
