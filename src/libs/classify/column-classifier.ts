import { ColumnTypeAccumulator } from '../formats/csv/schema-infer.js';
import type { ClassEvidence, ColumnClassification, DetectorCount, SpanKind } from './classification-types.js';
import { DistinctEstimator } from './distinct-estimator.js';
import { matchHeader, type HeaderRule } from './header-rules.js';
import { detectSecret, MIN_SECRET_LENGTH, type SecretKind } from './secret-detectors.js';
import { countPiiSpans } from './text-spans.js';
import { VALUE_DETECTORS } from './value-detectors.js';
import { decide, type ColumnFacts } from './classify-rules.js';

/** Sampling knobs. The sample is deterministic (by position), so results are reproducible. */
export interface ColumnClassifierOptions {
  /** Cells always checked at the start (default 1,000). */
  readonly head?: number;
  /** After the head, one cell in `stride` is checked (default 64). */
  readonly stride?: number;
  /** Most cells the value detectors check (default 10,000): bounds time and memory. */
  readonly maxSampled?: number;
}

/** A streaming classifier for one column: `observe` every cell, then `result`. */
export interface ColumnClassifier {
  /** @param value - one cell ('' or blanks are missing) */
  observe(value: string): void;
  /** The label, kind, confidence and evidence (counts only). */
  result(): ColumnClassification;
}

/** A detector that matched nothing in this many checks is switched off for the column. */
const GIVE_UP_AFTER = 256;

class StreamingColumnClassifier implements ColumnClassifier {
  private present = 0;
  private missing = 0;
  private sampled = 0;
  private proseCells = 0;
  private proseWithSpans = 0;
  private readonly rules: HeaderRule[];
  private readonly distinct = new DistinctEstimator();
  private readonly types: ColumnTypeAccumulator;
  private readonly matched = new Int32Array(VALUE_DETECTORS.length);
  private readonly checked = new Int32Array(VALUE_DETECTORS.length);
  private readonly alive = VALUE_DETECTORS.map(() => true);
  private readonly secrets = new Map<SecretKind, number>();
  private readonly spans: Partial<Record<SpanKind, number>> = {};
  private readonly head: number;
  private readonly stride: number;
  private readonly maxSampled: number;

  constructor(
    private readonly column: string,
    options: ColumnClassifierOptions,
  ) {
    this.rules = matchHeader(column);
    this.types = new ColumnTypeAccumulator(column, { distinctCap: 256 });
    this.head = options.head ?? 1000;
    this.stride = Math.max(1, options.stride ?? 64);
    this.maxSampled = options.maxSampled ?? 10_000;
  }

  observe(value: string): void {
    let v = value;
    if (v.length === 0) {
      this.missing++;
      return;
    }
    // Only cells with leading or trailing blanks pay for a trim.
    if (v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32) {
      v = v.trim();
      if (v.length === 0) {
        this.missing++;
        return;
      }
    }
    const n = ++this.present;
    this.distinct.add(v);
    // Every cell is checked for secrets: one credential anywhere must stop the import.
    if (v.length >= MIN_SECRET_LENGTH) {
      const kind = detectSecret(v);
      if (kind !== undefined) {
        this.secrets.set(kind, (this.secrets.get(kind) ?? 0) + 1);
      }
    }
    if ((n <= this.head || n % this.stride === 0) && this.sampled < this.maxSampled) {
      this.sample(v);
    }
  }

  private sample(v: string): void {
    this.sampled++;
    this.types.observe(v);
    for (let k = 0; k < VALUE_DETECTORS.length; k++) {
      if (!this.alive[k]) {
        continue;
      }
      const c = ++this.checked[k]!;
      if (VALUE_DETECTORS[k]!.test(v)) {
        this.matched[k]!++;
      } else if (c >= GIVE_UP_AFTER && this.matched[k] === 0) {
        this.alive[k] = false;
      }
    }
    if (v.length >= 20 && v.includes(' ')) {
      this.proseCells++;
      if (countPiiSpans(v, this.spans) > 0) {
        this.proseWithSpans++;
      }
    }
  }

  result(): ColumnClassification {
    const index = new Map(VALUE_DETECTORS.map((d, k) => [d.id, k]));
    const rate = (id: string): number => {
      const k = index.get(id);
      return k === undefined || this.checked[k] === 0 ? 0 : this.matched[k]! / this.checked[k]!;
    };
    const distinct = this.distinct.estimate();
    const facts: ColumnFacts = {
      header: this.rules,
      inferred: this.types.finish(),
      present: this.present,
      missing: this.missing,
      sampled: this.sampled,
      uniqueRatio: this.present === 0 ? 0 : Math.min(1, distinct / this.present),
      rate,
      secrets: this.secrets,
      spans: this.spans,
      proseCells: this.proseCells,
      proseWithSpans: this.proseWithSpans,
    };
    const verdict = decide(facts);
    const detectors: DetectorCount[] = [];
    VALUE_DETECTORS.forEach((d, k) => {
      if (this.matched[k]! > 0) {
        detectors.push({ detector: `value:${d.id}`, matched: this.matched[k]!, checked: this.checked[k]! });
      }
    });
    const evidence: ClassEvidence = {
      present: this.present,
      missing: this.missing,
      sampled: this.sampled,
      distinct,
      uniqueRatio: round(facts.uniqueRatio),
      valueType: facts.inferred.type,
      header: this.rules.map((r) => r.id),
      detectors,
      ...(Object.keys(this.spans).length > 0 ? { spans: { ...this.spans } } : {}),
      ...(this.secrets.size > 0 ? { secrets: Object.fromEntries(this.secrets) } : {}),
    };
    return {
      column: this.column,
      label: verdict.label,
      ...(verdict.kind === undefined ? {} : { kind: verdict.kind }),
      confidence: round(verdict.confidence),
      evidence,
    };
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Create a streaming classifier for one column.
 * @param header - the column name (drives the header rules; reported as `column`)
 * @param options - sampling knobs
 * @returns the classifier
 */
export function createColumnClassifier(header: string, options: ColumnClassifierOptions = {}): ColumnClassifier {
  return new StreamingColumnClassifier(header, options);
}
