/** Every network check, run in this order. */
import { batchSize, dataShape } from "./data";
import { dropoutLayers } from "./dropout";
import { merges, reachability, references, unitCounts } from "./graph";
import { knownNames } from "./names";
import { lossAgainstOutput, softmaxPlacement, vanishingGradients } from "./output";
import type { NetworkCheck } from "./registry";
import { settingsBlocks } from "./settings";
import { parameterLimit } from "./size";
import { trainingSettings } from "./training";
import { duplicateNames, emptyEntries, entryCounts, missingData } from "./structure";

export const networkChecks: readonly NetworkCheck[] = [
  entryCounts, emptyEntries, duplicateNames, unitCounts, parameterLimit, references, merges, dropoutLayers, knownNames,
  softmaxPlacement, lossAgainstOutput, dataShape, settingsBlocks, trainingSettings, batchSize, reachability,
  vanishingGradients, missingData,
];

export type { Accept, CheckContext, NetworkCheck } from "./registry";
