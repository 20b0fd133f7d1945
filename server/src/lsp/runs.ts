/**
 * The last run of each network per document, kept for hovers, inlay hints
 * and run diagnostics. Run diagnostics (gradient-check failures, vanishing
 * or exploding gradients) belong to the text they ran on, so they are shown
 * only while the document still has that version.
 */
import type { DoneParams, EpochMetrics, ProgressParams } from "../protocol/index";
import type { RunRecord } from "../language/ide/index";

const lastEpoch = (history: EpochMetrics[] | undefined): EpochMetrics | undefined => history?.[history.length - 1];

export class RunStore {
  private readonly byDocument = new Map<string, Map<string, RunRecord>>();

  constructor(private readonly versionOf: (uri: string) => number | undefined) {}

  runs(uri: string): ReadonlyMap<string, RunRecord> | undefined {
    return this.byDocument.get(uri);
  }

  progress(params: ProgressParams): void {
    const previous = this.byDocument.get(params.uri)?.get(params.network);
    this.record(params.uri, {
      network: params.network,
      kind: params.kind,
      status: "running",
      version: previous?.status === "running" ? previous.version : this.versionOf(params.uri) ?? 0,
      epoch: params.metrics.epoch,
      epochs: params.epochs,
      loss: params.metrics.loss,
      layers: params.metrics.layers,
      losses: previous?.status === "running" ? [...previous.losses, params.metrics.loss] : [params.metrics.loss],
      gradcheck: previous?.gradcheck,
    });
  }

  done(params: DoneParams): void {
    const previous = this.byDocument.get(params.uri)?.get(params.network);
    const last = lastEpoch(params.history);
    this.record(params.uri, {
      network: params.network,
      kind: params.kind,
      status: params.status,
      version: previous?.version ?? this.versionOf(params.uri) ?? 0,
      epoch: last?.epoch ?? previous?.epoch,
      epochs: previous?.epochs,
      loss: last?.loss ?? previous?.loss,
      layers: last?.layers ?? previous?.layers ?? [],
      losses: params.history?.map((metrics) => metrics.loss) ?? previous?.losses ?? [],
      gradcheck: params.gradcheck ?? previous?.gradcheck,
    });
  }

  forget(uri: string): void {
    this.byDocument.delete(uri);
  }

  private record(uri: string, run: RunRecord): void {
    let runs = this.byDocument.get(uri);
    if (!runs) this.byDocument.set(uri, (runs = new Map()));
    runs.set(run.network, run);
  }
}
