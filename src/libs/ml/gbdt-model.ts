/**
 * The GBDT model format: a plain JSON-serialisable object (number arrays, no classes), and its
 * structural validator so a truncated or foreign JSON model is rejected before it is used.
 */
import { HavenError } from '../../errors/haven-error.js';

/** One tree as flat parallel arrays indexed by node id; node 0 is the root, children have larger ids. */
export interface GbdtTree {
  /** Split feature, −1 on leaves. */
  readonly feature: number[];
  /** Go left when x <= threshold (0 on leaves). */
  readonly threshold: number[];
  /** Left child id, −1 on leaves. */
  readonly left: number[];
  /** Right child id, −1 on leaves. */
  readonly right: number[];
  /** Leaf output with the learning rate already applied (0 on internal nodes). */
  readonly value: number[];
  /** 1 when a missing value (NaN) goes left, 0 when it goes right. */
  readonly defaultLeft: number[];
}

/** Supported objectives. */
export type GbdtObjectiveName = 'squared' | 'absolute' | 'huber' | 'logloss';

/** A trained model. Raw score = baseScore + Σ tree outputs; logloss predictions are sigmoid(raw). */
export interface GbdtModel {
  readonly format: 'haven-gbdt';
  readonly version: 1;
  readonly objective: GbdtObjectiveName;
  readonly baseScore: number;
  readonly featureNames: string[];
  readonly trees: GbdtTree[];
  /** Total split gain per feature. */
  readonly featureImportance: number[];
  /** Round with the best validation loss (trees after it were dropped), or the last round. */
  readonly bestIteration: number;
  /** Echo of the training options, for provenance. */
  readonly params: Record<string, number | string | boolean>;
}

const OBJECTIVES: readonly string[] = ['squared', 'absolute', 'huber', 'logloss'];
const TREE_KEYS = ['feature', 'threshold', 'left', 'right', 'value', 'defaultLeft'] as const;

function bad(path: string): never {
  throw new HavenError('HAVEN_ML_MODEL_INVALID', undefined, { detail: { path } });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finiteArray(v: unknown, path: string, len?: number): number[] {
  if (!Array.isArray(v) || (len !== undefined && v.length !== len)) {
    bad(path);
  }
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) {
      bad(`${path}[${i}]`);
    }
  }
  return v as number[];
}

function validateTree(t: unknown, path: string, nF: number): void {
  if (!isRecord(t)) {
    bad(path);
  }
  const n = Array.isArray(t.feature) ? t.feature.length : 0;
  if (n === 0) {
    bad(`${path}.feature`);
  }
  const a: Record<string, number[]> = {};
  for (const k of TREE_KEYS) {
    a[k] = finiteArray(t[k], `${path}.${k}`, n);
  }
  const { feature, left, right, defaultLeft } = a as Record<(typeof TREE_KEYS)[number], number[]>;
  const parents = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = feature[i]!;
    const l = left[i]!;
    const r = right[i]!;
    if (!Number.isInteger(f) || f < -1 || f >= nF) {
      bad(`${path}.feature[${i}]`);
    }
    if (defaultLeft[i] !== 0 && defaultLeft[i] !== 1) {
      bad(`${path}.defaultLeft[${i}]`);
    }
    if (f === -1) {
      if (l !== -1 || r !== -1) {
        bad(`${path}.left[${i}]`);
      }
      continue;
    }
    // Children after their parent, each with exactly one parent: a finite tree with no cycles.
    for (const c of [l, r]) {
      if (!Number.isInteger(c) || c <= i || c >= n || parents[c] !== 0) {
        bad(`${path}.left[${i}]`);
      }
      parents[c] = 1;
    }
  }
  for (let i = 1; i < n; i++) {
    if (parents[i] === 0) {
      bad(`${path}.left`);
    }
  }
}

/**
 * Check that an untrusted object (e.g. parsed JSON) is a well-formed GBDT model.
 * @param obj - candidate model
 * @returns the same object, typed
 * @throws HavenError HAVEN_ML_MODEL_INVALID with `detail.path` naming the first bad field
 */
export function validateModel(obj: unknown): GbdtModel {
  if (!isRecord(obj)) {
    bad('$');
  }
  if (obj.format !== 'haven-gbdt') {
    bad('format');
  }
  if (obj.version !== 1) {
    bad('version');
  }
  if (typeof obj.objective !== 'string' || !OBJECTIVES.includes(obj.objective)) {
    bad('objective');
  }
  if (typeof obj.baseScore !== 'number' || !Number.isFinite(obj.baseScore)) {
    bad('baseScore');
  }
  const names = obj.featureNames;
  if (!Array.isArray(names) || names.length === 0 || !names.every((s) => typeof s === 'string')) {
    bad('featureNames');
  }
  finiteArray(obj.featureImportance, 'featureImportance', names.length);
  if (!Array.isArray(obj.trees)) {
    bad('trees');
  }
  obj.trees.forEach((t, i) => validateTree(t, `trees[${i}]`, names.length));
  if (typeof obj.bestIteration !== 'number' || !Number.isInteger(obj.bestIteration) || obj.bestIteration < 0) {
    bad('bestIteration');
  }
  if (!isRecord(obj.params)) {
    bad('params');
  }
  return obj as unknown as GbdtModel;
}
