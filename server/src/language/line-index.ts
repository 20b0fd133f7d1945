/** Offsets ↔ 0-based line and character (UTF-16 units, as LSP counts them). */
export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  /** offset where each line starts */
  private readonly starts: number[];

  constructor(private readonly text: string) {
    this.starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) continue;
      if (c === 10 || c === 13) this.starts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: at - this.starts[low] };
  }

  /**
   * The 0-based column of an offset in Unicode code points, as terminal tools
   * (Vim's quickfix, Emacs' compile mode) count for FILE:LINE:COL: an emoji is one column.
   */
  codePointColumn(offset: number): number {
    const { line, character } = this.position(offset);
    const start = this.starts[line];
    let column = 0;
    const end = start + character;
    for (let i = start; i < end; i++, column++) {
      // a high surrogate followed by a low one is one code point
      if ((this.text.charCodeAt(i) & 0xfc00) === 0xd800 && i + 1 < end && (this.text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    }
    return column;
  }

  offset(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1] : this.text.length;
    const lineEnd = next > start && position.line + 1 < this.starts.length ? next - (this.text[next - 2] === "\r" && this.text[next - 1] === "\n" ? 2 : 1) : next;
    return Math.min(start + Math.max(0, position.character), lineEnd);
  }

  range(span: { start: number; end: number }): { start: Position; end: Position } {
    return { start: this.position(span.start), end: this.position(span.end) };
  }
}
