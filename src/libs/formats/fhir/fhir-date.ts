import { HavenError } from '../../../errors/haven-error.js';
import { isValidDate, type CalendarDate } from './los-date.js';

/**
 * Parses a FHIR dateTime that has at least a full date (YYYY-MM-DD, optionally Thh:mm[:ss[.fff]] and Z or ±hh:mm).
 * Returns the calendar date as written (the local date of the message's own offset): a clinician admitting on the
 * 24th in India means the 24th, which is what the training data's dates are. Throws HAVEN_FHIR_INVALID_DATE.
 * @param text - the dateTime text (undefined when absent)
 * @param path - where in the message, for the error detail
 */
export function parseFhirDate(text: string | undefined, path: string): CalendarDate {
  const m = text === undefined
    ? null
    : /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d|60)(?:\.\d{1,9})?)?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?)?$/.exec(text);
  if (m === null) {
    throw new HavenError('HAVEN_FHIR_INVALID_DATE', undefined, { detail: { path } });
  }
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (!isValidDate(d)) {
    throw new HavenError('HAVEN_FHIR_INVALID_DATE', undefined, { detail: { path } });
  }
  return d;
}
