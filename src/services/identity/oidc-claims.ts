/**
 * Reading an ID token's claims: whether the provider performed multi-factor authentication, and which groups
 * the user is in. Pure functions over the validated claims.
 */

/**
 * `amr` values (RFC 8176) that show a factor beyond the password was used. `mfa` says so outright; the others name
 * a possession factor (one-time code, hardware or software key, smart card).
 */
export const MFA_AMR_VALUES: readonly string[] = ['mfa', 'otp', 'hwk', 'swk', 'sc'];

/** The claims this module reads (a subset of an ID token). */
export interface MfaClaims {
  readonly amr?: unknown;
  readonly acr?: unknown;
  readonly auth_time?: unknown;
}

/**
 * Whether the ID token shows multi-factor authentication: an `amr` entry in MFA_AMR_VALUES, or an `acr` listed in
 * the configured multi-factor acr values. Anything missing or malformed counts as no MFA.
 * @param claims - the validated ID token claims
 * @param mfaAcrValues - acr values the provider uses for multi-factor logins
 */
export function mfaSatisfied(claims: MfaClaims, mfaAcrValues: readonly string[]): boolean {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [];
  if (amr.some((v) => MFA_AMR_VALUES.includes(v))) {
    return true;
  }
  return typeof claims.acr === 'string' && mfaAcrValues.includes(claims.acr);
}

/**
 * When the provider's MFA happened, for Haven's step-up window: the token's `auth_time` if present and not in the
 * future, else `now` (a provider that omits auth_time authenticated for this request).
 * @param claims - the validated ID token claims
 * @param now - the current time
 */
export function mfaTime(claims: MfaClaims, now: Date): string {
  if (typeof claims.auth_time === 'number' && Number.isFinite(claims.auth_time)) {
    const at = claims.auth_time * 1000;
    return new Date(Math.min(at, now.getTime())).toISOString();
  }
  return now.toISOString();
}

/**
 * The groups named by a claim: an array of strings, or a single string. Anything else gives no groups.
 * @param claims - the validated ID token claims
 * @param claim - the claim name
 */
export function groupsOf(claims: Readonly<Record<string, unknown>>, claim: string): string[] {
  const v = claims[claim];
  if (typeof v === 'string') {
    return [v];
  }
  return Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string') : [];
}
