/** Date formats Haven recognises in CSV cells. */
export type DateFormat = 'YYYY-MM-DD' | 'M/D/YYYY' | 'D/M/YYYY' | 'ISO-DATETIME';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/** The parts of a day-first-or-month-first date (`9/21/2012`, `21.09.2012`). */
export interface SlashedDate {
  readonly first: number;
  readonly second: number;
  readonly year: number;
}

/**
 * Whether y-m-d is a real calendar day (leap years included), years 1000..9999.
 * @param y - year
 * @param m - month 1..12
 * @param d - day 1..31
 */
export function isCalendarDay(y: number, m: number, d: number): boolean {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) {
    return false;
  }
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

/**
 * `YYYY-MM-DD` for a calendar day (zero-padded), so dates compare as strings.
 * @param y - year
 * @param m - month
 * @param d - day
 */
export function isoDay(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Parse `A/B/YYYY` (also with `-` or `.`): the caller decides which of A and B is the month.
 * @param v - the cell text
 * @returns the parts, or undefined when the shape does not match
 */
export function parseSlashedDate(v: string): SlashedDate | undefined {
  const n = v.length;
  if (n < 8 || n > 10) {
    return undefined;
  }
  // Hand-rolled: this runs on every cell of every date-looking column.
  let i = 0;
  let first = 0;
  while (i < n && i < 2 && isDigit(v.charCodeAt(i))) {
    first = first * 10 + v.charCodeAt(i++) - 48;
  }
  const sep = v.charCodeAt(i);
  if (i === 0 || (sep !== 47 && sep !== 45 && sep !== 46)) {
    return undefined;
  }
  const j = ++i;
  let second = 0;
  while (i < n && i - j < 2 && isDigit(v.charCodeAt(i))) {
    second = second * 10 + v.charCodeAt(i++) - 48;
  }
  if (i === j || v.charCodeAt(i) !== sep || n - i - 1 !== 4) {
    return undefined;
  }
  let year = 0;
  for (i++; i < n; i++) {
    const c = v.charCodeAt(i);
    if (!isDigit(c)) {
      return undefined;
    }
    year = year * 10 + c - 48;
  }
  return { first, second, year };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Parse a date in a known format to `YYYY-MM-DD`.
 * @param v - the cell text
 * @param format - the column's format
 * @returns the ISO day (or, for ISO-DATETIME, the text itself), or undefined when invalid
 */
export function parseDate(v: string, format: DateFormat): string | undefined {
  if (format === 'ISO-DATETIME') {
    const m = ISO_DATETIME.exec(v);
    return m && isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3])) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6] ?? 0) < 61 ? v : undefined;
  }
  if (format === 'YYYY-MM-DD') {
    const m = ISO_DATE.exec(v);
    if (!m) {
      return undefined;
    }
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return isCalendarDay(y, mo, d) ? isoDay(y, mo, d) : undefined;
  }
  const s = parseSlashedDate(v);
  if (!s) {
    return undefined;
  }
  const [mo, d] = format === 'M/D/YYYY' ? [s.first, s.second] : [s.second, s.first];
  return isCalendarDay(s.year, mo, d) ? isoDay(s.year, mo, d) : undefined;
}
