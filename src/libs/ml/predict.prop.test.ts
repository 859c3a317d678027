import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from './feature-matrix.js';
import type { GbdtModel, GbdtTree } from './gbdt-model.js';
import { predictGbdt, predictTreeRow } from './predict.js';

/** A random valid tree over nF features with thresholds from a small grid (so ties with data happen). */
const treeArb = (nF: number): fc.Arbitrary<GbdtTree> =>
  fc.array(fc.tuple(fc.integer({ min: 0, max: nF - 1 }), fc.integer({ min: 0, max: 4 }), fc.boolean(), fc.double({ min: -5, max: 5, noNaN: true })), {
    minLength: 1, maxLength: 12,
  }).map((specs) => {
    // Grow by splitting the first leaf in breadth-first order: ids increase from parent to child.
    const t: GbdtTree = { feature: [-1], threshold: [0], left: [-1], right: [-1], value: [specs[0]![3]], defaultLeft: [0] };
    const leaves = [0];
    for (const [f, thr, dl, v] of specs.slice(1)) {
      const node = leaves.shift()!;
      const l = t.feature.length;
      t.feature[node] = f;
      t.threshold[node] = thr;
      t.defaultLeft[node] = dl ? 1 : 0;
      t.left[node] = l;
      t.right[node] = l + 1;
      t.value[node] = 0;
      for (const c of [l, l + 1]) {
        t.feature[c] = -1;
        t.threshold[c] = 0;
        t.left[c] = -1;
        t.right[c] = -1;
        t.value[c] = c === l ? v : -v / 2;
        t.defaultLeft[c] = 0;
        leaves.push(c);
      }
    }
    return t;
  });

describe('predictGbdt properties', () => {
  it('equals summing plain per-tree traversals, for any trees and data with NaN and threshold ties', () => {
    const nF = 3;
    fc.assert(
      fc.property(
        fc.array(treeArb(nF), { minLength: 1, maxLength: 8 }),
        fc.array(fc.array(fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constant(NaN), fc.double({ min: -6, max: 6, noNaN: true })), { minLength: nF, maxLength: nF }), {
          minLength: 1, maxLength: 40,
        }),
        (trees, rows) => {
          const names = ['a', 'b', 'c'];
          const m = matrixFromColumns(names, names.map((_, c) => rows.map((r) => r[c]!)));
          const model: GbdtModel = {
            format: 'haven-gbdt', version: 1, objective: 'squared', baseScore: 0.5, featureNames: names, trees,
            featureImportance: [0, 0, 0], bestIteration: trees.length, params: {},
          };
          const p = predictGbdt(model, m);
          for (let r = 0; r < m.nRows; r++) {
            let ref = 0.5;
            for (const t of trees) {
              ref += predictTreeRow(t, m.data, m.nRows, r);
            }
            expect(p[r]).toBeCloseTo(ref, 10);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
