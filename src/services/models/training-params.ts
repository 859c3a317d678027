import { HavenError } from '../../errors/haven-error.js';
import type { GbdtOptions } from '../../libs/ml/gbdt.js';

type ParamRule = { kind: 'int' | 'number'; min: number; max: number; minExclusive?: boolean } | { kind: 'enum'; values: readonly string[] };

/** Every training parameter a caller may set, with its range. Anything else is HAVEN_TRAIN_BAD_PARAM. */
export const TRAIN_PARAMS: Readonly<Record<string, ParamRule>> = {
  nRounds: { kind: 'int', min: 1, max: 10_000 },
  maxDepth: { kind: 'int', min: 0, max: 20 },
  maxLeaves: { kind: 'int', min: 2, max: 65_536 },
  learningRate: { kind: 'number', min: 0, max: 1, minExclusive: true },
  lambda: { kind: 'number', min: 0, max: 1e6 },
  minChildWeight: { kind: 'number', min: 0, max: 1e9 },
  minSamplesLeaf: { kind: 'int', min: 1, max: 1e9 },
  minGain: { kind: 'number', min: 0, max: 1e9 },
  subsample: { kind: 'number', min: 0, max: 1, minExclusive: true },
  colsample: { kind: 'number', min: 0, max: 1, minExclusive: true },
  maxBins: { kind: 'int', min: 2, max: 255 },
  earlyStoppingRounds: { kind: 'int', min: 1, max: 10_000 },
  huberDelta: { kind: 'number', min: 0, max: 1e9, minExclusive: true },
  growPolicy: { kind: 'enum', values: ['depthwise', 'lossguide'] },
  objective: { kind: 'enum', values: ['squared', 'absolute', 'huber', 'logloss'] },
};

/**
 * Haven's training defaults for the registry: regularised so that the release gate's membership-inference audit
 * passes on the length-of-stay data while staying more accurate than XGBoost's defaults there (see
 * docs/decisions/0025-training-service-defaults.md): depth 4, 300 rounds, learning rate 0.1, ≥ 20 records per leaf.
 */
export const TRAIN_DEFAULTS: Readonly<Record<string, number | string>> = { nRounds: 300, maxDepth: 4, learningRate: 0.1, minSamplesLeaf: 20 };

/**
 * Validate caller parameters (numbers may arrive as strings from a command line) and merge them over the defaults.
 * @param raw - parameter map from the request
 */
export function parseTrainParams(raw: Readonly<Record<string, unknown>>): Record<string, number | string> {
  const out: Record<string, number | string> = { ...TRAIN_DEFAULTS };
  for (const [key, value] of Object.entries(raw)) {
    const rule = Object.hasOwn(TRAIN_PARAMS, key) ? TRAIN_PARAMS[key] : undefined;
    if (rule === undefined) {
      throw new HavenError('HAVEN_TRAIN_BAD_PARAM', undefined, { detail: { param: key.slice(0, 64), reason: 'unknown' } });
    }
    if (rule.kind === 'enum') {
      if (typeof value !== 'string' || !rule.values.includes(value)) {
        throw new HavenError('HAVEN_TRAIN_BAD_PARAM', undefined, { detail: { param: key, reason: 'not_allowed' } });
      }
      out[key] = value;
      continue;
    }
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    const inRange = Number.isFinite(n) && (rule.minExclusive ? n > rule.min : n >= rule.min) && n <= rule.max;
    if (!inRange || (rule.kind === 'int' && !Number.isInteger(n))) {
      throw new HavenError('HAVEN_TRAIN_BAD_PARAM', undefined, { detail: { param: key, reason: 'out_of_range' } });
    }
    out[key] = n;
  }
  return out;
}

/**
 * Training options for the engine from validated parameters.
 * @param params - the output of parseTrainParams
 * @param seed - the run's seed
 * @param memoryLimitBytes - the configured limit
 */
export function gbdtOptionsOf(
  params: Readonly<Record<string, number | string>>,
  seed: number,
  memoryLimitBytes: number,
): Omit<GbdtOptions, 'valid' | 'onProgress' | 'shouldCancel'> {
  return { ...(params as GbdtOptions), seed, memoryLimitBytes };
}

/** The `privacy` field of a training request as it arrives (numbers may be strings from a command line). */
export interface PrivacyRequest {
  readonly epsilon: unknown;
  readonly delta?: unknown;
  readonly mechanism?: unknown;
}

/** A validated DP request; `delta` is filled in once the dataset version (its row count) is known. */
export interface PrivacyChoice {
  readonly epsilon: number;
  readonly delta: number | undefined;
  readonly mechanism: 'gbdt' | 'linear';
}

/**
 * Limits of DP requests. ε above 10 gives no meaningful guarantee; δ must stay far below 1/n (and at most 1e-4);
 * more than 1000 releases (trees or steps) only spreads the budget thinner.
 */
export const DP_LIMITS = { maxEpsilon: 10, maxDelta: 1e-4, maxRounds: 1000 } as const;

/** Below this ε the DP linear model is the default (it beats DP trees there on los-10k; docs/decisions/0026). */
export const DP_LINEAR_BELOW_EPSILON = 1;

/** The only parameters DP training takes (anything else would make data-dependent choices or is not supported). */
const DP_PARAMS: Readonly<Record<string, ParamRule>> = {
  nRounds: { kind: 'int', min: 1, max: DP_LIMITS.maxRounds },
  learningRate: { kind: 'number', min: 0, max: 1, minExclusive: true },
  lambda: { kind: 'number', min: 0, max: 1e9 },
};

function badPrivacy(param: string, reason: string): never {
  throw new HavenError('HAVEN_TRAIN_BAD_PARAM', undefined, { detail: { param: `privacy.${param}`, reason } });
}

function asNumber(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
}

/**
 * Validate the `privacy` field: 0 < ε ≤ 10, 0 < δ ≤ 1e-4 when given, mechanism `gbdt` | `linear` (default: linear
 * below ε = 1, trees from there).
 * @param raw - the request's privacy object
 */
export function parsePrivacy(raw: PrivacyRequest): PrivacyChoice {
  const epsilon = asNumber(raw.epsilon);
  if (!Number.isFinite(epsilon) || epsilon <= 0 || epsilon > DP_LIMITS.maxEpsilon) {
    badPrivacy('epsilon', 'out_of_range');
  }
  let delta: number | undefined;
  if (raw.delta !== undefined) {
    delta = asNumber(raw.delta);
    if (!Number.isFinite(delta) || delta <= 0 || delta > DP_LIMITS.maxDelta) {
      badPrivacy('delta', 'out_of_range');
    }
  }
  const mechanism = raw.mechanism ?? (epsilon < DP_LINEAR_BELOW_EPSILON ? 'linear' : 'gbdt');
  if (mechanism !== 'gbdt' && mechanism !== 'linear') {
    badPrivacy('mechanism', 'not_allowed');
  }
  return { epsilon, delta, mechanism };
}

/**
 * δ for a dataset version of `rows` records: the requested one, which must be below 1/(10·rows), or by default
 * min(1e-6, 1/(10·rows)). A δ near 1/n would allow releasing one record outright.
 * @param delta - the requested δ, or undefined
 * @param rows - records in the version (public metadata)
 */
export function resolveDelta(delta: number | undefined, rows: number): number {
  const limit = 1 / (10 * Math.max(1, rows));
  if (delta === undefined) {
    return Math.min(1e-6, limit);
  }
  if (delta > limit) {
    badPrivacy('delta', 'not_below_one_tenth_over_n');
  }
  return delta;
}

/**
 * Validate the parameters of a DP run: only nRounds, learningRate and lambda (trees only); no defaults merged
 * (the DP trainers have their own).
 * @param raw - parameter map from the request
 * @param mechanism - the DP mechanism
 */
export function parseDpParams(raw: Readonly<Record<string, unknown>>, mechanism: 'gbdt' | 'linear'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw)) {
    const rule = Object.hasOwn(DP_PARAMS, key) && !(key === 'lambda' && mechanism === 'linear') ? DP_PARAMS[key] : undefined;
    if (rule === undefined || rule.kind === 'enum') {
      const known = Object.hasOwn(TRAIN_PARAMS, key) || Object.hasOwn(DP_PARAMS, key);
      throw new HavenError('HAVEN_TRAIN_BAD_PARAM', undefined, { detail: { param: key.slice(0, 64), reason: known ? 'not_with_privacy' : 'unknown' } });
    }
    const n = asNumber(value);
    const inRange = Number.isFinite(n) && (rule.minExclusive ? n > rule.min : n >= rule.min) && n <= rule.max;
    if (!inRange || (rule.kind === 'int' && !Number.isInteger(n))) {
      throw new HavenError('HAVEN_TRAIN_BAD_PARAM', undefined, { detail: { param: key, reason: 'out_of_range' } });
    }
    out[key] = n;
  }
  return out;
}
