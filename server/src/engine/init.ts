/**
 * Weight initialisers. Biases always start at 0.
 * - xavier: uniform on ±√(6 / (fan_in + fan_out)) (Glorot and Bengio, uniform form)
 * - he: normal with std √(2 / fan_in)
 * - normal(std), uniform(limit)
 */
import type { Rng } from "./rng";
import type { InitSpec } from "./spec";

export function initialiseWeights(init: InitSpec, weights: Float64Array, fanOut: number, fanIn: number, rng: Rng): void {
  switch (init.name) {
    case "xavier": {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < weights.length; i++) weights[i] = rng.uniform(-limit, limit);
      return;
    }
    case "he": {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < weights.length; i++) weights[i] = std * rng.normal();
      return;
    }
    case "normal":
      for (let i = 0; i < weights.length; i++) weights[i] = init.std * rng.normal();
      return;
    case "uniform":
      for (let i = 0; i < weights.length; i++) weights[i] = rng.uniform(-init.limit, init.limit);
      return;
  }
}
