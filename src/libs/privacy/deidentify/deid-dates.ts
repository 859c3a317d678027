import { formatMdy, fromEpochDay, isValidDate, toEpochDay, type CalendarDate } from '../../formats/fhir/los-date.js';

/** A parsed date and the format it was written in (a shifted date is written back the same way). */
export interface ParsedDate {
  readonly date: CalendarDate;
  readonly format: 'mdy' | 'iso';
}

/**
 * Parses M/D/YYYY or YYYY-MM-DD (a time part after the date is accepted and discarded).
 * @param text - the cell text
 */
export function parseDeidDate(text: string): ParsedDate | null {
  const t = text.trim();
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T].*)?$/.exec(t);
  if (m !== null) {
    const date = { month: Number(m[1]), day: Number(m[2]), year: Number(m[3]) };
    return isValidDate(date) ? { date, format: 'mdy' } : null;
  }
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/.exec(t);
  if (m !== null) {
    const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    return isValidDate(date) ? { date, format: 'iso' } : null;
  }
  return null;
}

/**
 * Moves a date by whole days and writes it in its original format (time of day is dropped: it is a date element).
 * @param p - the parsed date
 * @param days - days to add (negative moves back)
 */
export function shiftDate(p: ParsedDate, days: number): string {
  const d = fromEpochDay(toEpochDay(p.date) + days);
  if (p.format === 'mdy') {
    return formatMdy(d);
  }
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}
