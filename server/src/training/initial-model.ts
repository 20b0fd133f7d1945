/**
 * The model a .nnet network is before any training: the engine's initial
 * weights for its seed, with the names and standardisation of its data, so
 * that it can be exported and trained elsewhere from the same start.
 */
import { createNetwork, exportWeights } from "../engine/index";
import type { TrainedModel } from "../model/index";
import type { JobRequest, JobResult } from "./messages";
import { modelFromRun, type RunSource } from "./model-file";
import { prepareJob, standardisation } from "./run-job";

export function initialModel(request: JobRequest, source: RunSource, target: string): TrainedModel {
  const prepared = prepareJob(request);
  const network = createNetwork(request.network, { seed: request.train.seed });
  const standardiser = standardisation(prepared.data);
  const result: JobResult = {
    status: "completed", kind: "train", network: network.name, history: [], data: prepared.summary,
    weights: exportWeights(network), epochs: 0, names: prepared.names, ...(standardiser ? { standardiser } : {}),
  };
  return modelFromRun({ request, result, source, target });
}
