/**
 * Luhn (mod 10) check over a string of digits, as used by payment cards and NPIs.
 * @param digits - ASCII digits only
 * @returns true when the check digit is right
 */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      return false;
    }
    if (double) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * A payment card number: 13–19 digits (spaces or dashes allowed), a known leading digit
 * (3 Amex/Diners/JCB, 4 Visa, 5 Mastercard, 6 Discover, 2 Mastercard 2-series) and a valid Luhn digit.
 * @param v - the cell text
 */
export function isCardNumber(v: string): boolean {
  if (v.length < 13 || v.length > 23) {
    return false;
  }
  const digits = v.replace(/[ -]/g, '');
  return /^[2-6]\d{12,18}$/.test(digits) && luhnValid(digits);
}

/**
 * A US Social Security number as issued: `AAA-GG-SSSS` (or 9 bare digits when `bare` is true),
 * area not 000, 666 or 900–999, group not 00, serial not 0000.
 * @param v - the cell text
 * @param bare - also accept 9 digits without dashes (only with a header hint: too many ids are 9 digits)
 */
export function isSsn(v: string, bare = false): boolean {
  const m = /^(\d{3})-(\d{2})-(\d{4})$/.exec(v) ?? (bare ? /^(\d{3})(\d{2})(\d{4})$/.exec(v) : null);
  if (!m) {
    return false;
  }
  const area = Number(m[1]);
  return area !== 0 && area !== 666 && area < 900 && m[2] !== '00' && m[3] !== '0000';
}

/**
 * An IBAN: country code, two check digits, 11–30 alphanumerics, and mod-97 of the rearranged number equal to 1.
 * @param v - the cell text (spaces allowed)
 */
export function isIban(v: string): boolean {
  if (v.length < 15 || v.length > 42) {
    return false;
  }
  const s = v.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) {
    return false;
  }
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const val = code >= 65 ? code - 55 : code - 48;
    rem = val >= 10 ? (rem * 100 + val) % 97 : (rem * 10 + val) % 97;
  }
  return rem === 1;
}

/**
 * A US National Provider Identifier: 10 digits starting with 1 or 2 whose Luhn check over
 * the prefix 80840 plus the number holds.
 * @param v - the cell text
 */
export function isNpi(v: string): boolean {
  return v.length === 10 && /^[12]\d{9}$/.test(v) && luhnValid(`80840${v}`);
}
