/**
 * erf and erfc to float64 rounding, for gelu's exact form Φ(z) = ½ erfc(−z/√2).
 * JavaScript has no Math.erf. Two expansions, each free of cancellation:
 * - |x| < 2.5: erf x = (2x/√π) e^(−x²) Σₙ (2x²)ⁿ / (1·3·…·(2n+1)), every term
 *   positive (Abramowitz & Stegun 7.1.6);
 * - erfc x for x ≥ 1 (and erf x = 1 − erfc x for x ≥ 2.5): erfc x = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …))))
 *   (A&S 7.1.14), evaluated by the modified Lentz method.
 * erfc x is taken as 1 − erf x only for x < 1, where erfc x > 0.15, so Φ
 * keeps its relative precision far into the lower tail. Both agree with a
 * correctly rounded erf/erfc to a few units in the last place
 * (test/engine/new-activations.test.ts).
 */

const twoOverSqrtPi = 1.1283791670955126;
const oneOverSqrtPi = 0.5641895835477563;
const split = 2.5;

// e^(−x²) with x² split as h² + (x − h)(x + h), h = x to 24 bits, so h² is exact
// and the rounding of x² is not magnified by the exponential.
function expMinusSquare(x: number): number {
  const h = Math.fround(x);
  return Math.exp(-h * h) * Math.exp(-(x - h) * (x + h));
}

// (2x/√π) Σ … without the factor e^(−x²), for 0 ≤ x < split.
function seriesSum(x: number): number {
  const x2 = 2 * x * x;
  let term = 1;
  let total = 1;
  for (let n = 1; n < 200; n++) {
    term *= x2 / (2 * n + 1);
    total += term;
    if (term < total * 1e-17) break;
  }
  return twoOverSqrtPi * x * total;
}

// The continued fraction 1/(x + ½/(x + 1/(x + …))) for x ≥ split.
function continuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const step = c * d;
    f *= step;
    if (Math.abs(step - 1) < 1e-17) break;
  }
  return 1 / f;
}

/** erfc x for x ≥ 0. */
function erfcPositive(x: number): number {
  if (x < 1) return 1 - seriesSum(x) * expMinusSquare(x);
  if (x > 27.3) return 0;
  return expMinusSquare(x) * oneOverSqrtPi * continuedFraction(x);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  const value = ax < split ? seriesSum(ax) * expMinusSquare(ax) : 1 - erfcPositive(ax);
  return x < 0 ? -value : value;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  return x >= 0 ? erfcPositive(x) : 2 - erfcPositive(-x);
}

/** Φ(z), the standard normal distribution function. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * Math.SQRT1_2);
}

/** φ(z) = e^(−z²/2) / √(2π), the standard normal density. */
export function normalPdf(z: number): number {
  return 0.3989422804014327 * Math.exp(-0.5 * z * z);
}
