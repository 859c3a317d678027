import type { FeatureMatrix } from '../ml/feature-matrix.js';
import type { GbdtModel } from '../ml/gbdt-model.js';

/**
 * How many rows of a matrix reach each leaf of each tree (the structural disclosure check needs it: a leaf that
 * covers very few training records can reveal them). Leaves are listed in node-id order per tree.
 * @param model - a validated model
 * @param m - the training matrix (same columns as the model)
 */
export function leafCounts(model: GbdtModel, m: FeatureMatrix): number[][] {
  const n = m.nRows;
  return model.trees.map((t) => {
    const counts = new Map<number, number>();
    t.feature.forEach((f, i) => f === -1 && counts.set(i, 0));
    for (let r = 0; r < n; r++) {
      let node = 0;
      while (t.feature[node] !== -1) {
        const x = m.data[t.feature[node]! * n + r]!;
        const goLeft = Number.isNaN(x) ? t.defaultLeft[node] === 1 : x <= t.threshold[node]!;
        node = goLeft ? t.left[node]! : t.right[node]!;
      }
      counts.set(node, counts.get(node)! + 1);
    }
    return [...counts.values()];
  });
}
