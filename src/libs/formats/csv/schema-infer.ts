import { isCalendarDay, isoDay, parseDate, parseSlashedDate, type DateFormat } from './date-parse.js';

/** yyyymmdd number → `YYYY-MM-DD`. */
function ymdString(n: number): string {
  return isoDay(Math.floor(n / 10000), Math.floor(n / 100) % 100, n % 100);
}

/** Value of an optionally signed integer of at most 9 characters (shape already checked). */
function smallInt(v: string): number {
  let i = 0;
  let neg = false;
  const c0 = v.charCodeAt(0);
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i = 1;
  }
  let x = 0;
  for (; i < v.length; i++) {
    x = x * 10 + (v.charCodeAt(i) - 48);
  }
  return neg ? -x : x;
}

/** Column types Haven infers and enforces. */
export type ColumnType = 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'categorical' | 'text' | 'empty';

/**
 * What inference found for one column. It holds values (range ends, category levels): treat it
 * as data, store it with the dataset, never log it.
 */
export interface InferredColumn {
  readonly name: string;
  readonly type: ColumnType;
  /** True when at least one cell was empty. */
  readonly nullable: boolean;
  readonly present: number;
  readonly missing: number;
  /** Exact distinct count, or the cap when `distinctCapped`. */
  readonly distinct: number;
  readonly distinctCapped: boolean;
  readonly maxLength: number;
  /** Numeric range (integer, decimal) or ISO day range (date). */
  readonly min?: number | string;
  readonly max?: number | string;
  readonly dateFormat?: DateFormat;
  /** True when every date fitted both M/D and D/M: M/D/YYYY was chosen without evidence. */
  readonly dateAmbiguous?: boolean;
  /** Sorted levels of a categorical column. */
  readonly categories?: readonly string[];
}

/** Tuning for inference. */
export interface InferOptions {
  /** Most distinct values a column may have and still be categorical (default 50). */
  readonly maxCategories?: number;
  /** Distinct values remembered per column (default 1,000); bounds memory. */
  readonly distinctCap?: number;
}

const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 't', 'f', 'y', 'n']);

/**
 * Shape of a number: 1 integer, 2 decimal, 0 not a number. A hand-written scan, because a regex
 * per cell is the slowest part of inference on wide files.
 * @param v - the cell text (non-empty)
 */
export function numberShape(v: string): 0 | 1 | 2 {
  const n = v.length;
  let i = 0;
  let c = v.charCodeAt(0);
  if (c === 45 || c === 43) {
    i = 1;
  }
  let digits = 0;
  let dot = false;
  for (; i < n; i++) {
    c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (digits === 0) {
    return 0;
  }
  if (i === n) {
    return dot ? 2 : 1;
  }
  if (c !== 101 && c !== 69) {
    return 0;
  }
  i++;
  c = v.charCodeAt(i);
  if (c === 45 || c === 43) {
    i++;
  }
  const expStart = i;
  for (; i < n; i++) {
    c = v.charCodeAt(i);
    if (c < 48 || c > 57) {
      return 0;
    }
  }
  return i > expStart ? 2 : 0;
}

/**
 * Incremental type inference for one column: `observe` every cell, then `finish`. Each candidate
 * type is a flag that the first counter-example clears, so a column costs little once its type
 * is settled. Empty cells are missing values.
 */
export class ColumnTypeAccumulator {
  present = 0;
  missing = 0;
  private isInt = true;
  private isNum = true;
  private isBool = true;
  private isIso = true;
  private isMdy = true;
  private isDmy = true;
  private isDateTime = true;
  private numMin = Infinity;
  private numMax = -Infinity;
  private mdyMin = Infinity;
  private mdyMax = -Infinity;
  private dmyMin = Infinity;
  private dmyMax = -Infinity;
  private isoMin = '';
  private isoMax = '';
  private maxLength = 0;
  private readonly values = new Set<string>();
  private capped = false;

  /**
   * @param name - the column name
   * @param options - category and distinct caps
   */
  constructor(
    readonly name: string,
    private readonly options: InferOptions = {},
  ) {}

  /** @param v - one cell ('' is missing) */
  observe(v: string): void {
    if (v.length === 0) {
      this.missing++;
      return;
    }
    this.present++;
    if (v.length > this.maxLength) {
      this.maxLength = v.length;
    }
    if (!this.capped && !this.values.has(v)) {
      if (this.values.size >= (this.options.distinctCap ?? 1000)) {
        this.capped = true;
      } else {
        this.values.add(v);
      }
    }
    if (this.isNum) {
      const shape = numberShape(v);
      if (shape !== 0) {
        // Short integers are summed from their digits: cheaper than Number() on the hot path.
        const x = shape === 1 && v.length <= 9 ? smallInt(v) : Number(v);
        if (shape === 2 || !Number.isSafeInteger(x)) {
          this.isInt = false;
        }
        if (x < this.numMin) {
          this.numMin = x;
        }
        if (x > this.numMax) {
          this.numMax = x;
        }
        this.isBool = this.isIso = this.isMdy = this.isDmy = this.isDateTime = false;
        return;
      }
      this.isNum = false;
      this.isInt = false;
    }
    if (this.isBool && (v.length > 5 || !BOOLEAN_WORDS.has(v.toLowerCase()))) {
      this.isBool = false;
    }
    if (this.isMdy || this.isDmy) {
      this.observeSlashed(v);
    }
    if (this.isIso) {
      const d = parseDate(v, 'YYYY-MM-DD');
      if (d === undefined) {
        this.isIso = false;
      } else {
        this.isoMin = this.isoMin === '' || d < this.isoMin ? d : this.isoMin;
        this.isoMax = d > this.isoMax ? d : this.isoMax;
      }
    }
    if (this.isDateTime && parseDate(v, 'ISO-DATETIME') === undefined) {
      this.isDateTime = false;
    }
  }

  /** Track both readings of A/B/YYYY; dates are kept as yyyymmdd numbers until `finish`. */
  private observeSlashed(v: string): void {
    const s = parseSlashedDate(v);
    if (!s) {
      this.isMdy = this.isDmy = false;
      return;
    }
    if (this.isMdy) {
      if (isCalendarDay(s.year, s.first, s.second)) {
        const d = s.year * 10000 + s.first * 100 + s.second;
        this.mdyMin = Math.min(this.mdyMin, d);
        this.mdyMax = Math.max(this.mdyMax, d);
      } else {
        this.isMdy = false;
      }
    }
    if (this.isDmy) {
      if (isCalendarDay(s.year, s.second, s.first)) {
        const d = s.year * 10000 + s.second * 100 + s.first;
        this.dmyMin = Math.min(this.dmyMin, d);
        this.dmyMax = Math.max(this.dmyMax, d);
      } else {
        this.isDmy = false;
      }
    }
  }

  /** The inferred column. */
  finish(): InferredColumn {
    const base = {
      name: this.name,
      nullable: this.missing > 0,
      present: this.present,
      missing: this.missing,
      distinct: this.values.size,
      distinctCapped: this.capped,
      maxLength: this.maxLength,
    };
    if (this.present === 0) {
      return { ...base, type: 'empty' };
    }
    if (this.isNum) {
      return { ...base, type: this.isInt ? 'integer' : 'decimal', min: this.numMin, max: this.numMax };
    }
    if (this.isBool) {
      return { ...base, type: 'boolean' };
    }
    if (this.isIso) {
      return { ...base, type: 'date', dateFormat: 'YYYY-MM-DD', min: this.isoMin, max: this.isoMax };
    }
    if (this.isDateTime) {
      return { ...base, type: 'datetime', dateFormat: 'ISO-DATETIME' };
    }
    if (this.isMdy || this.isDmy) {
      // A value with a first part over 12 rules out M/D, one with a second part over 12 rules out
      // D/M. Both still fit only when no value had a part over 12: take the US order and say so.
      const mdy = this.isMdy;
      return {
        ...base,
        type: 'date',
        dateFormat: mdy ? 'M/D/YYYY' : 'D/M/YYYY',
        dateAmbiguous: this.isMdy && this.isDmy,
        min: ymdString(mdy ? this.mdyMin : this.dmyMin),
        max: ymdString(mdy ? this.mdyMax : this.dmyMax),
      };
    }
    const maxCat = this.options.maxCategories ?? 50;
    if (!this.capped && this.values.size <= maxCat && this.values.size <= Math.max(2, this.present / 2)) {
      return { ...base, type: 'categorical', categories: [...this.values].sort() };
    }
    return { ...base, type: 'text' };
  }
}

/**
 * Schema inference for a whole file: `observe(record)` for every accepted record, then `finish()`.
 * Records with the wrong length should have been rejected by the reader; extra fields are ignored.
 */
export class SchemaInferrer {
  private readonly columns: ColumnTypeAccumulator[];

  /**
   * @param header - column names
   * @param options - category and distinct caps
   */
  constructor(header: readonly string[], options: InferOptions = {}) {
    this.columns = header.map((h) => new ColumnTypeAccumulator(h, options));
  }

  /** @param record - one record's fields, in header order */
  observe(record: readonly string[]): void {
    const cols = this.columns;
    for (let k = 0; k < cols.length; k++) {
      cols[k]!.observe(record[k] ?? '');
    }
  }

  /** The inferred columns, in header order. */
  finish(): InferredColumn[] {
    return this.columns.map((c) => c.finish());
  }
}

/**
 * Infer a schema from records in one call.
 * @param header - column names
 * @param records - the records
 * @param options - category and distinct caps
 */
export function inferSchema(header: readonly string[], records: Iterable<readonly string[]>, options: InferOptions = {}): InferredColumn[] {
  const s = new SchemaInferrer(header, options);
  for (const r of records) {
    s.observe(r);
  }
  return s.finish();
}
