import { daysInMonth, formatMdy, fromEpochDay, parseMdy, toEpochDay } from '../formats/fhir/los-date.js';
import type { LosRecord } from '../formats/fhir/los-record.js';
import type { Prng } from './prng.js';

/** PII-laden columns added by `withPii` (all fake; formats valid so detectors have something real to find). */
export interface PiiColumns {
  ssn: string;
  phone: string;
  email: string;
  street: string;
  city: string;
  zip: string;
  ccnum: string;
  birthdate: string;
  age: number;
  notes: string;
}

/** Names of the PII columns, in CSV order. */
export const PII_COLUMNS = ['ssn', 'phone', 'email', 'street', 'city', 'zip', 'ccnum', 'birthdate', 'age', 'notes'] as const;

/** Common given names (public census lists); used for realistic names and in notes. */
export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Maria', 'Wei', 'Aisha', 'Priya', 'Omar',
] as const;
/** Common surnames. */
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Nguyen', 'Chen', 'Patel', 'Kim',
] as const;
const STREETS = ['Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Main', 'Sunset', 'River'] as const;
const SUFFIXES = ['St', 'Ave', 'Rd', 'Blvd', 'Ln', 'Dr', 'Ct'] as const;
const CITIES = ['Springfield', 'Riverside', 'Franklin', 'Greenville', 'Bristol', 'Clinton', 'Fairview', 'Salem', 'Madison', 'Georgetown'] as const;
/** Some ZIP3 prefixes that Safe Harbor restricts (population < 20,000), so de-identification tests meet them. */
const RESTRICTED_ZIP3_SAMPLE = ['036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893'] as const;
const DOMAINS = ['example.com', 'example.org', 'example.net'] as const;

function digits(rng: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i += 1) {
    s += String(rng.int(10));
  }
  return s;
}

/**
 * A US SSN that passes the SSA's structural rules: area 001–899 except 666, group 01–99, serial 0001–9999.
 * @param rng - the generator
 */
export function fakeSsn(rng: Prng): string {
  let area = 1 + rng.int(899);
  if (area === 666) {
    area = 667;
  }
  const group = 1 + rng.int(99);
  const serial = 1 + rng.int(9999);
  return `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
}

/**
 * A NANP phone number (area and exchange start 2–9 and are not N11), in one of three common formats.
 * @param rng - the generator
 */
export function fakePhone(rng: Prng): string {
  const nxx = (): string => {
    const a = 2 + rng.int(8);
    let b = rng.int(10);
    const c = rng.int(10);
    if (b === 1 && c === 1) {
      b = 2;
    }
    return `${a}${b}${c}`;
  };
  const area = nxx();
  const exch = nxx();
  const line = digits(rng, 4);
  const f = rng.int(3);
  return f === 0 ? `(${area}) ${exch}-${line}` : f === 1 ? `${area}-${exch}-${line}` : `${area}.${exch}.${line}`;
}

/**
 * The Luhn check digit for a digit string.
 * @param body - the digits before the check digit
 */
export function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * A 16-digit Visa-style card number (prefix 4) with a valid Luhn check digit, plain or grouped by spaces or dashes.
 * @param rng - the generator
 */
export function fakeCardNumber(rng: Prng): string {
  const body = `4${digits(rng, 14)}`;
  const n = `${body}${luhnCheckDigit(body)}`;
  const sep = rng.choice(['', ' ', '-']);
  return sep === '' ? n : n.match(/.{4}/g)!.join(sep);
}

/**
 * Fake PII for one row; birthdate and age agree with the admission date, and about 5 % of ages are over 89.
 * @param rng - the row's PII generator
 * @param rec - the row (its admission date anchors the age)
 */
export function fakePii(rng: Prng, rec: LosRecord): PiiColumns {
  const first = rng.choice(FIRST_NAMES);
  const last = rng.choice(LAST_NAMES);
  const age = rng.float() < 0.05 ? 90 + rng.int(14) : 18 + rng.int(72);
  const admitted = parseMdy(rec.vdate)!;
  // Born after the same calendar day age+1 years before admission and on or before it age years before.
  const anniversary = (years: number): number => {
    const year = admitted.year - years;
    return toEpochDay({ year, month: admitted.month, day: Math.min(admitted.day, daysInMonth(year, admitted.month)) });
  };
  const lo = anniversary(age + 1) + 1;
  const birthDay = lo + rng.int(anniversary(age) - lo + 1);
  const zip3 = rng.float() < 0.05 ? rng.choice(RESTRICTED_ZIP3_SAMPLE) : String(100 + rng.int(900));
  const phone = fakePhone(rng);
  const ssn = fakeSsn(rng);
  const other = `${rng.choice(FIRST_NAMES)} ${rng.choice(LAST_NAMES)}`;
  const notes = rng.choice([
    `Pt ${first} ${last} admitted via ED; daughter ${other} at ${phone}.`,
    `Spoke with ${other} (spouse), callback ${phone}. SSN on file ${ssn}.`,
    `${first} reports dizziness, follow up with Dr. ${rng.choice(LAST_NAMES)}.`,
    'No acute distress. Plan: labs in AM, reassess fluids.',
  ]);
  return {
    ssn,
    phone,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${rng.int(100)}@${rng.choice(DOMAINS)}`,
    street: `${1 + rng.int(9899)} ${rng.choice(STREETS)} ${rng.choice(SUFFIXES)}`,
    city: rng.choice(CITIES),
    zip: `${zip3}${digits(rng, 2)}`,
    ccnum: fakeCardNumber(rng),
    birthdate: formatMdy(fromEpochDay(birthDay)),
    age,
    notes,
  };
}
