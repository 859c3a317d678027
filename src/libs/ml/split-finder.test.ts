import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binMatrix, fitBinMapper } from './binning.js';
import { buildBundles, codeStride, layoutCodes } from './bundles.js';
import { matrixFromColumns } from './feature-matrix.js';
import { buildHistGC, expandHist } from './histogram.js';
import { emptySplit, findBestSplit, type SplitParams } from './split-finder.js';

const P: SplitParams = { lambda: 1, minChildWeight: 1, minSamplesLeaf: 1, minGain: 0 };

/** Brute force over raw data: every feature, every distinct threshold, missing left or right. */
function bruteForce(cols: number[][], grad: number[], p: SplitParams): number {
  const score = (g: number, h: number): number => (g * g) / (h + p.lambda);
  const G = grad.reduce((a, b) => a + b, 0);
  const n = grad.length;
  let best = 0;
  for (const col of cols) {
    const values = [...new Set(col.filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
    for (let t = 0; t + 1 < values.length; t++) {
      for (const missLeft of [false, true]) {
        let gl = 0;
        let nl = 0;
        col.forEach((v, i) => {
          if (Number.isNaN(v) ? missLeft : v <= values[t]!) {
            gl += grad[i]!;
            nl++;
          }
        });
        const nr = n - nl;
        if (nl < p.minSamplesLeaf || nr < p.minSamplesLeaf || nl < p.minChildWeight || nr < p.minChildWeight) {
          continue;
        }
        best = Math.max(best, 0.5 * (score(gl, nl) + score(G - gl, nr) - score(G, n)));
      }
    }
  }
  return best;
}

function histSplitGain(cols: number[][], grad: number[], p: SplitParams): number {
  const n = grad.length;
  const m = matrixFromColumns(cols.map((_, i) => `f${i}`), cols);
  const mapper = fitBinMapper(m);
  const b = buildBundles(mapper, binMatrix(mapper, m), n);
  if (b.nGroups === 0) {
    return 0;
  }
  const stride = codeStride(b.nGroups);
  const codes = new Uint8Array(n * stride);
  layoutCodes(b, codes, stride, new Uint8Array(n * b.nGroups));
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  const g = Float64Array.from(grad);
  const h = new Float64Array(b.totalGroupCells * 2);
  buildHistGC(b, codes, stride, idx, 0, n, g, h);
  const fh = new Float64Array(b.totalFeatCells * 3);
  expandHist(b, h, 2, 1, new Uint8Array(b.nGroups).fill(1), fh);
  const features = Int32Array.from([...Array(cols.length).keys()].filter((f) => b.featGroup[f]! >= 0));
  const s = emptySplit();
  findBestSplit(b, fh, h, 2, 1, features, grad.reduce((a, c) => a + c, 0), n, n, p, s);
  return s.gain;
}

describe('findBestSplit', () => {
  it('finds the obvious split', () => {
    const gain = histSplitGain([[1, 2, 3, 4]], [-1, -1, 1, 1], P);
    // left G=-2,H=2; right G=2,H=2; parent G=0 → ½(4/3 + 4/3) = 4/3
    expect(gain).toBeCloseTo(4 / 3, 12);
  });
  it('equals a brute-force search on small data (with missing values and bundled flags)', () => {
    const cell = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(NaN));
    const flag = fc.integer({ min: 0, max: 1 });
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 30 }).chain((n) =>
          fc.tuple(
            fc.array(cell, { minLength: n, maxLength: n }),
            fc.array(flag, { minLength: n, maxLength: n }),
            fc.array(flag, { minLength: n, maxLength: n }),
            fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
            fc.integer({ min: 1, max: 3 }),
            // Many distinct values: too wide to bundle, so read from the group histogram directly.
            fc.array(fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(NaN)), { minLength: n, maxLength: n }),
          ),
        ),
        ([a, f1, f2, grad, minLeaf, wide]) => {
          const p = { ...P, minSamplesLeaf: minLeaf };
          const cols = [a, f1, f2, wide];
          expect(histSplitGain(cols, grad, p)).toBeCloseTo(bruteForce(cols, grad, p), 9);
        },
      ),
      { numRuns: 150 },
    );
  });
});
