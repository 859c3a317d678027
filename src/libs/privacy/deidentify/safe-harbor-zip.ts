/**
 * The 17 three-digit ZIP prefixes whose areas had fewer than 20,000 people (2000 census), which Safe Harbor
 * requires to be replaced by "000" (HHS de-identification guidance, section 3.3).
 */
export const RESTRICTED_ZIP3 = [
  '036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893',
] as const;

const RESTRICTED = new Set<string>(RESTRICTED_ZIP3);

/** The outcome of generalising one ZIP value. */
export type Zip3Result = { readonly value: string; readonly restricted: boolean } | null;

/**
 * Generalises a ZIP code (5 digits, ZIP+4, or already 3 digits) to its first 3 digits, or "000" for a restricted
 * prefix. Returns null for anything else (it cannot be generalised safely, so it is suppressed).
 * @param zip - the ZIP text or number
 */
export function generaliseZip(zip: string | number): Zip3Result {
  // Numbers lose leading zeros (02139 → 2139), so a 4-digit number is padded back.
  const text = typeof zip === 'number' ? (Number.isInteger(zip) && zip >= 0 ? String(zip).padStart(zip < 1000 ? 3 : 5, '0') : '') : zip.trim();
  const m = /^(\d{3})(?:\d{2}(?:-?\d{4})?)?$/.exec(text);
  if (m === null) {
    return null;
  }
  const zip3 = m[1]!;
  return RESTRICTED.has(zip3) ? { value: '000', restricted: true } : { value: zip3, restricted: false };
}
