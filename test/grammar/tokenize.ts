/**
 * A small TextMate tokenizer for the grammar tests: `match` rules with
 * captures, `begin`/`end` rules that stay open across lines, and `include`s of
 * the repository. It follows the engine's rule for choosing a pattern (the
 * leftmost match wins; on a tie the end pattern, then the earlier pattern), so
 * the scopes it gives are the ones the editor shows, as long as the grammar
 * keeps to regular expressions that mean the same in Oniguruma and JavaScript.
 */

export interface CaptureMap {
  [group: string]: { name?: string };
}

export interface GrammarRule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: CaptureMap;
  beginCaptures?: CaptureMap;
  endCaptures?: CaptureMap;
  patterns?: GrammarRule[];
  include?: string;
}

export interface Grammar {
  scopeName: string;
  patterns: GrammarRule[];
  repository: Record<string, GrammarRule>;
}

export interface Token {
  text: string;
  scopes: string[];
}

interface Candidate {
  rule: GrammarRule;
  regex: RegExp;
  isEnd: boolean;
}

/** Every regular expression source in the grammar, with where it sits. */
export function grammarRegexes(grammar: Grammar): { where: string; source: string }[] {
  const found: { where: string; source: string }[] = [];
  const visit = (rule: GrammarRule, where: string): void => {
    for (const key of ["match", "begin", "end"] as const) {
      const source = rule[key];
      if (source !== undefined) found.push({ where: `${where}.${key}`, source });
    }
    rule.patterns?.forEach((child, index) => visit(child, `${where}.patterns[${index}]`));
  };
  grammar.patterns.forEach((rule, index) => visit(rule, `patterns[${index}]`));
  for (const [key, rule] of Object.entries(grammar.repository)) visit(rule, `repository.${key}`);
  return found;
}

export class Tokenizer {
  private readonly compiled = new Map<string, RegExp>();
  private readonly stack: GrammarRule[] = [];

  constructor(private readonly grammar: Grammar) {}

  tokenizeLines(lines: string[]): Token[][] {
    this.stack.length = 0;
    return lines.map((line) => this.tokenizeLine(line));
  }

  private tokenizeLine(line: string): Token[] {
    const tokens: Token[] = [];
    let position = 0;
    // Each step consumes text or opens/closes a rule; the bound only guards against a grammar bug.
    for (let step = 0; step < 4 * line.length + 16 && position <= line.length; step++) {
      const found = this.nextMatch(line, position);
      if (!found) break;
      this.emit(tokens, line.slice(position, found.match.index), this.scopes());
      position = this.apply(tokens, found.candidate, found.match, position);
    }
    this.emit(tokens, line.slice(position), this.scopes());
    return tokens;
  }

  private apply(tokens: Token[], candidate: Candidate, match: RegExpExecArray, position: number): number {
    const { rule, isEnd } = candidate;
    const after = match.index + match[0].length;
    if (isEnd) {
      this.emitCaptures(tokens, match, this.scopes(), rule.endCaptures ?? rule.captures);
      this.stack.pop();
    } else if (rule.begin !== undefined) {
      const scopes = [...this.scopes(), ...(rule.name ? [rule.name] : [])];
      this.emitCaptures(tokens, match, scopes, rule.beginCaptures ?? rule.captures);
      this.stack.push(rule);
    } else {
      const scopes = [...this.scopes(), ...(rule.name ? [rule.name] : [])];
      this.emitCaptures(tokens, match, scopes, rule.captures);
    }
    // A zero-width match that neither opens nor closes a rule must not stall.
    return after === position && !isEnd && rule.begin === undefined ? position + 1 : after;
  }

  private nextMatch(line: string, position: number): { candidate: Candidate; match: RegExpExecArray } | undefined {
    let best: { candidate: Candidate; match: RegExpExecArray } | undefined;
    for (const candidate of this.candidates()) {
      candidate.regex.lastIndex = position;
      const match = candidate.regex.exec(line);
      if (match && (!best || match.index < best.match.index)) best = { candidate, match };
    }
    return best;
  }

  private candidates(): Candidate[] {
    const top = this.stack[this.stack.length - 1];
    const patterns = top ? (top.patterns ?? []) : this.grammar.patterns;
    const list: Candidate[] = top?.end ? [{ rule: top, regex: this.regex(top.end), isEnd: true }] : [];
    for (const rule of this.flatten(patterns)) {
      const source = rule.match ?? rule.begin;
      if (source !== undefined) list.push({ rule, regex: this.regex(source), isEnd: false });
    }
    return list;
  }

  private flatten(patterns: GrammarRule[]): GrammarRule[] {
    return patterns.flatMap((rule) => {
      if (rule.include === undefined) return [rule];
      if (rule.include === "$self") return this.flatten(this.grammar.patterns);
      const target = this.grammar.repository[rule.include.replace(/^#/, "")];
      if (!target) throw new Error(`grammar includes unknown rule ${rule.include}`);
      return target.match || target.begin ? [target] : this.flatten(target.patterns ?? []);
    });
  }

  private regex(source: string): RegExp {
    let regex = this.compiled.get(source);
    if (!regex) {
      regex = new RegExp(source, "gd");
      this.compiled.set(source, regex);
    }
    return regex;
  }

  private scopes(): string[] {
    const names = this.stack.map((rule) => rule.name).filter((name): name is string => name !== undefined);
    return [this.grammar.scopeName, ...names];
  }

  private emitCaptures(tokens: Token[], match: RegExpExecArray, scopes: string[], captures?: CaptureMap): void {
    const whole = captures?.["0"]?.name;
    const base = whole ? [...scopes, whole] : scopes;
    const groups = Object.keys(captures ?? {})
      .map(Number)
      .filter((group) => group > 0 && match.indices?.[group] !== undefined)
      .sort((a, b) => match.indices![a]![0] - match.indices![b]![0]);
    let cursor = match.index;
    for (const group of groups) {
      const [start, end] = match.indices![group]!;
      if (start < cursor) continue;
      this.emit(tokens, match.input.slice(cursor, start), base);
      const name = captures![String(group)]!.name;
      this.emit(tokens, match.input.slice(start, end), name ? [...base, name] : base);
      cursor = end;
    }
    this.emit(tokens, match.input.slice(cursor, match.index + match[0].length), base);
  }

  private emit(tokens: Token[], text: string, scopes: string[]): void {
    if (text.length > 0) tokens.push({ text, scopes });
  }
}
