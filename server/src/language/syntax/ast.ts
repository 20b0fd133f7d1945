/**
 * The .nnet syntax tree. Every node and every name keeps its exact source
 * span (offsets into the text, end exclusive). After error recovery any
 * field may be missing, so every consumer checks before use.
 */

export interface Span {
  start: number;
  end: number;
}

export interface Name {
  text: string;
  span: Span;
}

export interface NumberLit {
  value: number;
  /** the source text, kept so formatting never rewrites a number */
  text: string;
  span: Span;
}

export interface StringLit {
  value: string;
  span: Span;
}

/** `name` or `name(arg: value, …)`: activations, losses, optimizers, initialisers, data sources. */
export interface Call {
  kind: "call";
  name?: Name;
  args: Arg[];
  /** span of `( … )` when written, even if empty */
  parens?: Span;
  span: Span;
}

export interface Arg {
  /** missing for a positional argument such as the path in `csv("x.csv", …)` */
  name?: Name;
  value?: Value;
  span: Span;
}

export type Value =
  | { kind: "number"; number: NumberLit; span: Span }
  | { kind: "string"; string: StringLit; span: Span }
  | { kind: "bool"; value: boolean; span: Span }
  | { kind: "full"; span: Span }
  | ListValue
  | Call;

/** `["a", "b"]`, an argument's list of literals (CSV columns). */
export interface ListValue {
  kind: "list";
  items: Value[];
  span: Span;
}

export interface InputEntry {
  kind: "input";
  span: Span;
  keyword: Span;
  name?: Name;
  units?: NumberLit;
}

export interface DenseBody {
  kind: "dense";
  span: Span;
  keyword: Span;
  units?: NumberLit;
  activation?: Call;
  from?: Name;
  init?: Call;
}

export interface DropoutBody {
  kind: "dropout";
  span: Span;
  keyword: Span;
  /** the drop probability p */
  rate?: NumberLit;
  from?: Name;
}

export interface MergeBody {
  kind: "add" | "concat";
  span: Span;
  keyword: Span;
  operands: Name[];
}

export interface LayerEntry {
  kind: "layer";
  span: Span;
  keyword: Span;
  name?: Name;
  body?: DenseBody | DropoutBody | MergeBody;
}

export interface LossEntry {
  kind: "loss";
  span: Span;
  keyword: Span;
  loss?: Call;
}

export interface InlineRow {
  span: Span;
  features: NumberLit[];
  targets: NumberLit[];
  /** span of `->`; missing when the row lacks it */
  arrow?: Span;
}

export interface InlineData {
  kind: "inline";
  span: Span;
  rows: InlineRow[];
}

export interface DataEntry {
  kind: "data";
  span: Span;
  keyword: Span;
  source?: Call | InlineData;
}

export interface Setting {
  span: Span;
  key?: Name;
  value?: Value;
}

export interface SettingsBlock {
  kind: "train" | "gradcheck";
  span: Span;
  keyword: Span;
  settings: Setting[];
}

export type Entry = InputEntry | LayerEntry | LossEntry | DataEntry | SettingsBlock;

export interface Network {
  kind: "network";
  span: Span;
  keyword: Span;
  name?: Name;
  entries: Entry[];
  /** span of the `{ … }` body, for folding and formatting */
  body?: Span;
}

export interface Comment {
  text: string;
  span: Span;
  block: boolean;
}

export interface File {
  networks: Network[];
  comments: Comment[];
  span: Span;
}

export interface SyntaxError {
  message: string;
  span: Span;
  /** a keyword the text at `span` was probably meant to be (a quick fix replaces it) */
  suggestion?: string;
}

export interface ParseResult {
  ast: File;
  errors: SyntaxError[];
}
