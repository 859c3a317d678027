/**
 * Small builders shared by this folder's tests (synthetic data only; seeded).
 */
import { matrixFromColumns, type FeatureMatrix } from './feature-matrix.js';
import { createPrng } from './prng.js';

/**
 * A synthetic regression set: y = step functions of x0, x1 plus a linear x2 term and Gaussian-ish noise.
 * x3 is pure noise; a share of x1 is missing (NaN) and then adds +2 (so missing handling matters).
 * @param n - rows
 * @param seed - PRNG seed
 * @param noise - noise scale
 */
export function stepData(n: number, seed: number, noise = 0.1): { m: FeatureMatrix; y: Float64Array; truth: Float64Array } {
  const rng = createPrng(seed);
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const x3 = new Float64Array(n);
  const y = new Float64Array(n);
  const truth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x0[i] = rng.next() * 10;
    x1[i] = rng.next() < 0.1 ? NaN : rng.next() * 4;
    x2[i] = rng.next();
    x3[i] = rng.next();
    const f = (x0[i]! > 5 ? 3 : 0) + (x0[i]! > 8 ? -1 : 0) + (Number.isNaN(x1[i]!) ? 2 : x1[i]! > 2 ? 1 : -1) + x2[i]!;
    truth[i] = f;
    // Sum of uniforms: cheap bell-shaped noise.
    y[i] = f + noise * (rng.next() + rng.next() + rng.next() - 1.5) * 2;
  }
  return { m: matrixFromColumns(['x0', 'x1', 'x2', 'x3'], [x0, x1, x2, x3]), y, truth };
}
