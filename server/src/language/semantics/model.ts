/** What the checker knows about a file: its networks, their layers and shapes, and the diagnostics. */
import type * as ast from "../syntax/ast";
import type { ActivationSpec, DataSpec, GradcheckSpec, InitSpec, LossName, NetworkSpec, TrainSpec } from "../../engine/index";

export type Severity = "error" | "warning" | "information" | "hint";

export interface TextEdit {
  span: ast.Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Diagnostic {
  /** stable, for quick fixes and docs: `nnet/…` (see docs/diagnostics.md) */
  code: string;
  severity: Severity;
  span: ast.Span;
  message: string;
  related?: { message: string; span: ast.Span }[];
  fixes?: Fix[];
}

/** What a CSV is read for: the columns whose every distinct value the checker must see. */
export interface CsvUse {
  targets: string[];
}

/** The host's view of the file system; the language core does no I/O itself. */
export interface FileAccess {
  /**
   * the file's text, or undefined when it cannot be read; for a CSV read for these target
   * columns, a large file may answer a sample with the same shape (training/csv-sample.ts)
   */
  readFile(path: string, csv?: CsvUse): string | undefined;
  /** why readFile answered undefined (e.g. the file lies outside the workspace), when known */
  whyUnreadable?(path: string, csv?: CsvUse): string | undefined;
  /** the data rows of the whole file when readFile answered a sample of it */
  sampledRows?(path: string, csv: CsvUse): number | undefined;
  /** `relative` resolved against the folder of the .nnet file at `from` */
  resolve(from: string | undefined, relative: string): string;
}

/** A name used as a layer input, with what it resolved to. */
export interface Reference {
  name: ast.Name;
  /** the layer or input it names, when it is declared above */
  target?: string;
  problem?: "unknown" | "forward" | "self";
  /** the layer it names when that layer is declared below (forward references) */
  later?: LayerModel;
}

export interface LayerModel {
  name: string;
  /** 0-based position among the network's layers; the output is the last */
  index: number;
  entry: ast.LayerEntry;
  kind?: "dense" | "add" | "concat" | "dropout";
  /** inferred units; undefined while the layer or one of its inputs is broken */
  units?: number;
  inputs: Reference[];
  /** true when `from` was not written and the layer takes the entry above */
  implicitFrom: boolean;
  activation?: ActivationSpec;
  init?: InitSpec;
  /** W and b: units × inputUnits + units for dense, 0 for add/concat/dropout */
  params: number;
  /** layers that read this one (the outgoing edges BP2 sums over) */
  successors: string[];
  reachesOutput: boolean;
}

export interface InputModel {
  name: string;
  units?: number;
  entry: ast.InputEntry;
}

export interface DataModel {
  entry: ast.DataEntry;
  features?: number;
  targets?: number;
  /** rows in the whole data set, when known without reading it all */
  rows?: number;
  spec?: DataSpec;
  /** class labels of a CSV text target, in one-hot order */
  labels?: string[];
  /** a CSV numeric (regression) target: its column and distinct values */
  numericTarget?: { column: string; distinct: number; whole: boolean };
  /** the resolved path of a CSV source */
  path?: string;
  /** a CSV source's columns as written, with its path as written, and the feature columns the file gave */
  csv?: { written: string; targets: string[]; features?: string[]; featureColumns?: string[] };
  /** a CSV source's header row, when its file could be read: the column names completion offers */
  header?: string[];
  /** a CSV source's targets: numeric (regression) or class labels */
  targetKind?: "regression" | "classes";
  /** problems found while describing the source, reported by the data check */
  issues: Diagnostic[];
}

export interface NetworkModel {
  name?: string;
  ast: ast.Network;
  inputs: ast.InputEntry[];
  input?: InputModel;
  layers: LayerModel[];
  layerByName: Map<string, LayerModel>;
  output?: LayerModel;
  losses: ast.LossEntry[];
  loss?: LossName;
  /** huber's δ, when the loss is huber */
  huberDelta?: number;
  dataEntries: ast.DataEntry[];
  data?: DataModel;
  trainBlocks: ast.SettingsBlock[];
  gradcheckBlocks: ast.SettingsBlock[];
  /** filled when the network has no errors */
  spec?: NetworkSpec;
  train?: TrainSpec;
  gradcheck?: GradcheckSpec;
  totalParams: number;
  hasErrors: boolean;
}

export interface Model {
  networks: NetworkModel[];
}
