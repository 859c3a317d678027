/**
 * Permutation importance on held-out rows: how much the squared error grows when one feature's column is shuffled.
 * Used for DP models, whose training computes no split gains (and must not report statistics of its training rows).
 */
import type { FeatureMatrix } from '../ml/feature-matrix.js';
import { createPrng, shuffleInPlace } from '../ml/prng.js';

/**
 * Importance of every feature, largest first; `gain` is the rise in mean squared error, `share` its share of the
 * total rise (negative rises count as 0).
 * @param predict - the model
 * @param m - held-out features
 * @param y - held-out target
 * @param seed - seed of the shuffles
 */
export function permutationImportance(
  predict: (m: FeatureMatrix) => Float64Array,
  m: FeatureMatrix,
  y: ArrayLike<number>,
  seed: number,
): { feature: string; gain: number; share: number }[] {
  const n = m.nRows;
  if (n === 0) {
    return m.names.map((feature) => ({ feature, gain: 0, share: 0 }));
  }
  const mse = (p: Float64Array): number => p.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0) / n;
  const base = mse(predict(m));
  const data = Float64Array.from(m.data);
  const order = new Uint32Array(n);
  const prng = createPrng(seed);
  const rises = m.names.map((_, c) => {
    order.forEach((_, i) => (order[i] = i));
    shuffleInPlace(order, prng);
    const start = c * n;
    for (let r = 0; r < n; r++) {
      data[start + r] = m.data[start + order[r]!]!;
    }
    const rise = Math.max(0, mse(predict({ ...m, data })) - base);
    data.set(m.data.subarray(start, start + n), start);
    return rise;
  });
  const total = rises.reduce((a, b) => a + b, 0);
  return m.names.map((feature, c) => ({ feature, gain: rises[c]!, share: total > 0 ? rises[c]! / total : 0 })).sort((a, b) => b.gain - a.gain);
}
