import { isCardNumber, isIban, isNpi, isSsn } from './checksums.js';
import { isKnownName } from './name-dictionary.js';

/** A detector over one whole cell. Ids are reported in evidence as `value:<id>`. */
export interface ValueDetector {
  readonly id: string;
  readonly test: (v: string) => boolean;
}

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
// Phone numbers must be written as phone numbers (separators, brackets or a leading +): a bare
// ten-digit number is as likely an id, and only counts with a phone header (see phone_bare).
const PHONE = /^(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?:\s*(?:x|ext\.?)\s*\d{1,5})?$|^\+\d{1,3}[\s.-]\d{1,4}(?:[\s.-]\d{2,5}){1,4}$/;
const DIGITS10 = /^\d{10}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$|^(?=.*::)(?!.*::.*::)(?:[0-9a-f]{1,4}:){0,6}(?::[0-9a-f]{1,4}){0,6}:?$|^::$/i;
const URL = /^(?:https?|ftp):\/\/[^\s/?#]+\.[^\s/?#]+\S*$|^www\.[^\s/?#]+\.[a-z]{2,}\S*$/i;
const ZIP5 = /^\d{5}$/;
const ZIP9 = /^\d{5}-\d{4}$/;
const ZIP3 = /^\d{3}$/;
const STREET =
  /^\d{1,6}[A-Za-z]?\s+(?:[A-Za-z0-9.'-]+\s+){0,5}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|circle|cir|highway|hwy|parkway|pkwy|square|sq|trail|trl|row)\.?(?:,?\s+(?:apt|suite|ste|unit|#)\.?\s*[\w-]+)?$|^p\.?\s?o\.?\s+box\s+\d+$/i;
const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;
const MAC = /^[0-9A-F]{2}(?:[:-][0-9A-F]{2}){5}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME_SHAPE = /^[A-Za-z][A-Za-z'.-]*(?:,?\s+[A-Za-z][A-Za-z'.-]*){0,3}$/;
const SEX = new Set(['m', 'f', 'male', 'female', 'man', 'woman', 'u', 'unknown', 'o', 'other', 'x', 'nonbinary', 'non-binary', 'intersex']);

/**
 * Whether a cell is one to four alphabetic words (`Maria`, `O'Neil`, `Smith, John`): the shape of a name.
 * @param v - the cell text
 */
export function isNameShaped(v: string): boolean {
  return v.length <= 60 && NAME_SHAPE.test(v);
}

/**
 * Whether a name-shaped cell has a word from the shipped first/last-name lists.
 * @param v - the cell text
 */
export function hasKnownName(v: string): boolean {
  for (const word of v.split(/[\s,]+/)) {
    if (word.length >= 2 && isKnownName(word)) {
      return true;
    }
  }
  return false;
}

/** All whole-cell detectors. Order does not matter: each is counted on its own. */
export const VALUE_DETECTORS: readonly ValueDetector[] = [
  { id: 'email', test: (v) => v.length <= 254 && EMAIL.test(v) },
  { id: 'phone', test: (v) => v.length <= 25 && PHONE.test(v) },
  { id: 'phone_bare', test: (v) => DIGITS10.test(v) },
  { id: 'ssn', test: (v) => isSsn(v) },
  { id: 'ssn_bare', test: (v) => v.length === 9 && isSsn(v, true) },
  { id: 'ipv4', test: (v) => v.length <= 15 && IPV4.test(v) },
  { id: 'ipv6', test: (v) => v.length >= 2 && v.length <= 45 && v.includes(':') && IPV6.test(v) },
  { id: 'url', test: (v) => v.length <= 2048 && URL.test(v) },
  { id: 'card_luhn', test: (v) => isCardNumber(v) },
  { id: 'iban_mod97', test: (v) => isIban(v) },
  { id: 'npi_luhn', test: (v) => isNpi(v) },
  { id: 'zip5', test: (v) => ZIP5.test(v) },
  { id: 'zip9', test: (v) => ZIP9.test(v) },
  { id: 'zip3', test: (v) => ZIP3.test(v) },
  { id: 'street_address', test: (v) => v.length <= 120 && STREET.test(v) },
  { id: 'vin', test: (v) => v.length === 17 && VIN.test(v) && /\d/.test(v) && /[A-Z]/.test(v) },
  { id: 'mac_address', test: (v) => v.length === 17 && MAC.test(v) },
  { id: 'uuid', test: (v) => v.length === 36 && UUID.test(v) },
  { id: 'name_shape', test: isNameShaped },
  { id: 'name_dictionary', test: (v) => isNameShaped(v) && hasKnownName(v) },
  { id: 'sex_value', test: (v) => v.length <= 10 && SEX.has(v.toLowerCase()) },
];
