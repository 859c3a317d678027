/**
 * Calendar-date helpers for the record's M/D/YYYY dates. Dates are plain calendar days (no time zone):
 * the training data's `discharged - vdate == lengthofstay` is a difference of calendar days.
 */

/** A calendar date. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * Days in a month of the proleptic Gregorian calendar.
 * @param year - full year
 * @param month - 1..12
 */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Whether year/month/day form a real calendar date (years 1..9999).
 * @param d - the date to check
 */
export function isValidDate(d: CalendarDate): boolean {
  return Number.isInteger(d.year) && Number.isInteger(d.month) && Number.isInteger(d.day)
    && d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= daysInMonth(d.year, d.month);
}

/**
 * Days since 1970-01-01 (Howard Hinnant's days_from_civil; exact integer arithmetic, no Date object).
 * @param d - a valid calendar date
 */
export function toEpochDay(d: CalendarDate): number {
  const y = d.month <= 2 ? d.year - 1 : d.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (d.month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The calendar date of a day number (inverse of toEpochDay).
 * @param days - days since 1970-01-01
 */
export function fromEpochDay(days: number): CalendarDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/**
 * Formats a date as M/D/YYYY (no leading zeros), the sample file's format.
 * @param d - the date
 */
export function formatMdy(d: CalendarDate): string {
  return `${d.month}/${d.day}/${d.year}`;
}

/**
 * Parses M/D/YYYY; returns null when the text is not a valid date in that format.
 * @param text - the date text
 */
export function parseMdy(text: string): CalendarDate | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m === null) {
    return null;
  }
  const d = { month: Number(m[1]), day: Number(m[2]), year: Number(m[3]) };
  return isValidDate(d) ? d : null;
}
