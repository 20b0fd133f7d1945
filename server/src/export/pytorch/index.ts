/** Export to a small PyTorch project (model.py, data.py, train.py, README). */
import type { Dataset } from "../../engine/index";
import type { TrainedModel } from "../../model/index";
import { ExportError } from "../errors";

export interface PytorchOptions {
  /** the folder to write (created if missing; existing files it would replace must be its own) */
  out: string;
  /** the model's rows, unsplit and unstandardised, for the exported data.py */
  dataset: Dataset;
  /** also write the engine's shuffling order of each epoch, so train.py replays the same batches */
  sameOrder?: boolean;
}

/** Writes the project; answers the files written. */
export function exportPytorch(_model: TrainedModel, _options: PytorchOptions): string[] {
  throw new ExportError("the PyTorch export is not built yet");
}
