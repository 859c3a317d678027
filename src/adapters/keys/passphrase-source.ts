import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { HavenError } from '../../errors/haven-error.js';

/** Where a passphrase came from (recorded, never the passphrase itself). */
export type PassphraseOrigin = 'env' | 'file' | 'fd' | 'prompt' | 'generated';

/** A resolved passphrase and its origin. */
export interface Passphrase {
  readonly value: string;
  readonly origin: PassphraseOrigin;
}

/** Asks the operator on a terminal; undefined when no terminal is available. */
export type PassphrasePrompt = (question: string) => Promise<string | undefined>;

/** Shortest passphrase accepted when an operator chooses one. */
export const MIN_PASSPHRASE_LENGTH = 16;

const FD_RE = /^(?:fd:)?(\d{1,4})$/;

function readSecretFile(spec: string): Passphrase {
  const fd = FD_RE.exec(spec);
  try {
    if (fd) {
      // An inherited file descriptor (e.g. `3<secret`): read it whole; the caller's shell owns it.
      return { value: readFileSync(Number(fd[1]), 'utf8'), origin: 'fd' };
    }
    const handle = openSync(spec, 'r');
    try {
      return { value: readFileSync(handle, 'utf8'), origin: 'file' };
    } finally {
      closeSync(handle);
    }
  } catch (cause) {
    throw new HavenError('HAVEN_KEYS_PASSPHRASE_MISSING', 'the root passphrase file cannot be read', { cause });
  }
}

/**
 * Find the root passphrase: env HAVEN_ROOT_PASSPHRASE, else HAVEN_ROOT_PASSPHRASE_FILE (a path, or a file
 * descriptor number `3` / `fd:3`), else a terminal prompt. Never the config file. One trailing newline is dropped.
 * @param env - the environment
 * @param prompt - terminal prompt, when there is a terminal
 */
export async function findPassphrase(env: Readonly<Record<string, string | undefined>>, prompt?: PassphrasePrompt): Promise<Passphrase | undefined> {
  let found: Passphrase | undefined;
  if (env.HAVEN_ROOT_PASSPHRASE) {
    found = { value: env.HAVEN_ROOT_PASSPHRASE, origin: 'env' };
  } else if (env.HAVEN_ROOT_PASSPHRASE_FILE) {
    found = readSecretFile(env.HAVEN_ROOT_PASSPHRASE_FILE);
  } else if (prompt) {
    const typed = await prompt('root key passphrase: ');
    found = typed === undefined ? undefined : { value: typed, origin: 'prompt' };
  }
  if (found === undefined) {
    return undefined;
  }
  const value = found.value.replace(/\r?\n$/, '');
  if (value.length === 0) {
    throw new HavenError('HAVEN_KEYS_PASSPHRASE_MISSING');
  }
  return { value, origin: found.origin };
}

/**
 * Like findPassphrase, but a missing passphrase is an error.
 * @param env - the environment
 * @param prompt - terminal prompt, when there is a terminal
 */
export async function requirePassphrase(env: Readonly<Record<string, string | undefined>>, prompt?: PassphrasePrompt): Promise<Passphrase> {
  const found = await findPassphrase(env, prompt);
  if (found === undefined) {
    throw new HavenError('HAVEN_KEYS_PASSPHRASE_MISSING');
  }
  return found;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case: no i, l, o, u

/**
 * A strong random passphrase: 6 groups of 5 base32 characters (150 bits), e.g. `k3v9q-…`.
 */
export function generatePassphrase(): string {
  const bytes = randomBytes(30);
  const groups: string[] = [];
  for (let g = 0; g < 6; g++) {
    let s = '';
    for (let i = 0; i < 5; i++) {
      s += ALPHABET[bytes[g * 5 + i]! & 31];
    }
    groups.push(s);
  }
  return groups.join('-');
}
