/**
 * The formatter's output as it is written: its lines in one growing buffer
 * of UTF-16 code units, each token copied from the source, so a 1 MB line
 * costs one copy and no string per token (a string per token, joined, was
 * most of what the formatter allocated).
 */

/** Real files nest three deep; past this, indenting every level would make n unclosed braces O(n²) characters of output. */
const maxIndent = 16;
const [space, newline, lCurly, rCurly] = [" ", "\n", "{", "}"].map((c) => c.charCodeAt(0)) as [number, number, number, number];
/** what String.prototype.trimEnd removes */
const whitespace = /\s/;

function isWhitespace(c: number): boolean {
  if (c < 128) return c === space || (c >= 9 && c <= 13);
  return whitespace.test(String.fromCharCode(c));
}

type LineKind = "none" | "blank" | "opens" | "other";

export class Layout {
  private out: Uint16Array;
  private length = 0;
  /** where the line being written starts; the lines before it end in "\n" */
  private lineStart = 0;
  private indent = 0;
  /** the last line finished: none yet, empty, ending with "{", or another */
  private last: LineKind = "none";

  constructor(sizeHint: number) {
    this.out = new Uint16Array(Math.max(64, sizeHint));
  }

  /** Ends the line being written, if it has anything: trailing blanks dropped, a closing `{ }` written `{}`. */
  flush(): void {
    if (this.length > this.lineStart) {
      while (this.length > this.lineStart && isWhitespace(this.out[this.length - 1]!)) this.length--;
      const size = this.length - this.lineStart;
      this.last = size === 0 ? "blank" : this.out[this.length - 1] === lCurly ? "opens" : "other";
      if (size >= 3 && this.out[this.length - 1] === rCurly && this.out[this.length - 2] === space && this.out[this.length - 3] === lCurly) {
        this.out[this.length - 2] = rCurly;
        this.length--;
      }
      this.push(newline);
      this.lineStart = this.length;
    }
    this.indent = 0;
  }

  /** A new line at `depth`, after one blank line when asked for and the line before is not blank or an opening `{`. */
  startLine(depth: number, blankBefore: boolean): void {
    this.flush();
    if (blankBefore && this.last === "other") {
      this.push(newline);
      this.lineStart = this.length;
      this.last = "blank";
    }
    this.indent = 2 * Math.min(Math.max(0, depth), maxIndent);
    this.room(this.indent);
    this.out.fill(space, this.length, this.length + this.indent);
    this.length += this.indent;
  }

  /** Only the indent written so far. */
  get atLineStart(): boolean {
    return this.length - this.lineStart === this.indent;
  }

  space(): void {
    this.push(space);
  }

  /** Copies `source[start, end)`. */
  write(source: string, start: number, end: number): void {
    this.room(end - start);
    const out = this.out;
    let at = this.length;
    for (let i = start; i < end; i++) out[at++] = source.charCodeAt(i);
    this.length = at;
  }

  /** The text: the lines, each ending in "\n", without blank lines at the end. */
  finish(): string {
    this.flush();
    let end = this.length;
    while (end > 0 && this.out[end - 1] === newline && (end === 1 || this.out[end - 2] === newline)) end--;
    const chunks: string[] = [];
    // in chunks: fromCharCode takes its arguments on the stack; code units as they are (a lone surrogate stays one)
    for (let at = 0; at < end; at += 8192) chunks.push(String.fromCharCode.apply(null, this.out.subarray(at, Math.min(end, at + 8192)) as unknown as number[]));
    return chunks.join("");
  }

  private push(code: number): void {
    this.room(1);
    this.out[this.length++] = code;
  }

  private room(extra: number): void {
    if (this.length + extra <= this.out.length) return;
    const larger = new Uint16Array(Math.max(this.out.length * 2, this.length + extra));
    larger.set(this.out.subarray(0, this.length));
    this.out = larger;
  }
}
