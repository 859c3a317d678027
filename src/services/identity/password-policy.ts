import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { HavenError } from '../../errors/haven-error.js';

zxcvbnOptions.setOptions({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });

/** Shortest password accepted (NIST SP 800-63B allows 8; Haven asks for 12 for privileged data). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted: bounded so hashing cannot be used for denial of service. */
export const MAX_PASSWORD_LENGTH = 256;
/** Minimum zxcvbn score (0–4). */
export const MIN_STRENGTH = 3;

/**
 * Check a new password against the policy: length, strength (zxcvbn, also penalising the user name), never the
 * password itself in the error.
 * @param password - the candidate
 * @param userInputs - words the password must not be built from (user name)
 */
export function checkPasswordPolicy(password: string, userInputs: readonly string[]): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new HavenError('HAVEN_AUTH_PASSWORD_WEAK', `password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new HavenError('HAVEN_AUTH_PASSWORD_WEAK', `password must have at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  const result = zxcvbn(password, [...userInputs]);
  if (result.score < MIN_STRENGTH) {
    throw new HavenError('HAVEN_AUTH_PASSWORD_WEAK', 'password is too easy to guess', { detail: { score: result.score } });
  }
}
