/**
 * Seeded toy datasets. Noise is Gaussian with standard deviation `noise`,
 * added to each input coordinate (to y for sine).
 * - xor: the four corners of the unit square, repeated to `samples` (at least 4)
 * - circles: an outer circle of radius 1 (label 0) around an inner one of radius 0.5 (label 1)
 * - moons: two interleaved half circles
 * - spiral: `classes` arms of 1.5 turns out to radius 3; 2 classes → one 0/1 target, more → one-hot
 * - gaussian: two blobs of std 0.5 at (1, 1) (label 1) and (−1, −1) (label 0)
 * - sine: x uniform in [−π, π], y = sin x
 */
import { datasetFromRows, type Dataset, type Row } from "./dataset";
import { irisClassNames, irisFeatureNames, irisRows } from "./iris";
import { Rng } from "./rng";
import type { DataSpec, GeneratorName } from "./spec";

interface GeneratorOptions {
  samples: number;
  noise: number;
  classes: number;
}

type Generator = (o: GeneratorOptions, rng: Rng) => Row[];

// Arms of radius 3 leave gaps wide enough for small tanh networks to find in a
// few hundred epochs without standardising the inputs.
const spiralRadius = 3;
const spiralTurns = 1.5;

const jitter = (rng: Rng, noise: number): number => (noise > 0 ? noise * rng.normal() : 0);

function binary(rows: { x: number[]; label: number }[]): Row[] {
  return rows.map((r) => ({ x: r.x, y: [r.label] }));
}

const generators: Record<GeneratorName, Generator> = {
  xor: ({ samples, noise }, rng) => {
    const corners = [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]];
    const count = Math.max(4, samples);
    return binary(Array.from({ length: count }, (_, i) => {
      const [u, v, label] = corners[i % 4];
      return { x: [u + jitter(rng, noise), v + jitter(rng, noise)], label };
    }));
  },
  circles: ({ samples, noise }, rng) =>
    binary(Array.from({ length: samples }, (_, i) => {
      const label = i % 2;
      const radius = label === 1 ? 0.5 : 1;
      const angle = rng.uniform(0, 2 * Math.PI);
      return { x: [radius * Math.cos(angle) + jitter(rng, noise), radius * Math.sin(angle) + jitter(rng, noise)], label };
    })),
  moons: ({ samples, noise }, rng) =>
    binary(Array.from({ length: samples }, (_, i) => {
      const label = i % 2;
      const t = rng.uniform(0, Math.PI);
      const u = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
      const v = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
      return { x: [u + jitter(rng, noise), v + jitter(rng, noise)], label };
    })),
  spiral: ({ samples, noise, classes }, rng) => {
    const k = Math.max(2, Math.floor(classes));
    const perClass = Math.ceil(samples / k);
    return Array.from({ length: samples }, (_, i) => {
      const label = i % k;
      const fraction = (Math.floor(i / k) + 1) / perClass;
      const radius = spiralRadius * fraction;
      const angle = spiralTurns * 2 * Math.PI * fraction + (2 * Math.PI * label) / k;
      const x = [radius * Math.sin(angle) + jitter(rng, noise), radius * Math.cos(angle) + jitter(rng, noise)];
      return { x, y: k === 2 ? [label] : Array.from({ length: k }, (_, c) => (c === label ? 1 : 0)) };
    });
  },
  gaussian: ({ samples, noise }, rng) =>
    binary(Array.from({ length: samples }, (_, i) => {
      const label = i % 2;
      const centre = label === 1 ? 1 : -1;
      const std = Math.hypot(0.5, noise);
      return { x: [centre + std * rng.normal(), centre + std * rng.normal()], label };
    })),
  sine: ({ samples, noise }, rng) =>
    Array.from({ length: samples }, () => {
      const x = rng.uniform(-Math.PI, Math.PI);
      return { x: [x], y: [Math.sin(x) + jitter(rng, noise)] };
    }),
};

export function generate(name: GeneratorName, options: GeneratorOptions, seed: number): Dataset {
  if (!(options.samples > 0)) throw new Error(`${name} needs a positive number of samples, got ${options.samples}`);
  const rows = generators[name](options, Rng.derive(seed, `data-${name}`));
  const classes = name === "sine" ? undefined : name === "spiral" ? Math.max(2, Math.floor(options.classes)) : 2;
  const featureNames = name === "sine" ? ["x"] : ["x1", "x2"];
  return datasetFromRows(rows, { classes, featureNames });
}

/** Fisher's iris: 4 features, 3 one-hot targets. */
export function irisDataset(): Dataset {
  const rows = irisRows.map((r) => ({ x: r.slice(0, 4), y: [0, 1, 2].map((c) => (c === r[4] ? 1 : 0)) }));
  return datasetFromRows(rows, { classes: 3, classNames: [...irisClassNames], featureNames: [...irisFeatureNames] });
}

/** The dataset a DataSpec names. CSV data is read by the host and passed to datasetFromRows instead. */
export function datasetFromSpec(spec: DataSpec, seed: number): Dataset {
  switch (spec.kind) {
    case "generator":
      return generate(spec.name, spec, seed);
    case "iris":
      return irisDataset();
    case "inline":
      return datasetFromRows(spec.rows);
    case "csv":
      throw new Error(`csv data ('${spec.path}') is read by the host; pass its parsed rows to datasetFromRows`);
  }
}
