/** What the IDE layer knows of a network's last training run or gradient check. */
export interface RunLayerStats {
  layer: string;
  /** ‖∂C/∂W‖ (Frobenius), 0 for add/concat */
  gradNorm: number;
  /** mean |δ| over units and examples */
  meanAbsDelta: number;
}

export interface RunGradcheckRow {
  layer: string;
  param: "W" | "b";
  maxRelError: number;
  passed: boolean;
  kinks: number;
  /** checks that moved an output across the cross-entropy clip */
  clips?: number;
  checked: number;
  total: number;
}

export interface RunRecord {
  network: string;
  kind: "train" | "gradcheck";
  status: "running" | "completed" | "cancelled" | "failed";
  /** the document version the run started on */
  version: number;
  epoch?: number;
  epochs?: number;
  loss?: number;
  layers: RunLayerStats[];
  /** C per epoch so far */
  losses: number[];
  gradcheck?: { tolerance: number; passed: boolean; rows: RunGradcheckRow[] };
}

export type DocumentRuns = ReadonlyMap<string, RunRecord>;
