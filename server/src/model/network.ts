/** A runnable engine network from a model file's graph and weights. */
import { createNetwork, importWeights, type Network } from "../engine/index";
import { ModelFileError, type TrainedModel } from "./types";

export function networkOf(model: TrainedModel): Network {
  try {
    const network = createNetwork(model.network, { seed: model.train.seed, initialise: false });
    importWeights(network, model.weights);
    return network;
  } catch (failure) {
    throw new ModelFileError(`the model's network cannot be built: ${failure instanceof Error ? failure.message : String(failure)}`);
  }
}
