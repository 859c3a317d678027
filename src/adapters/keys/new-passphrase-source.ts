import { HavenError } from '../../errors/haven-error.js';
import { MIN_PASSPHRASE_LENGTH, findPassphrase } from './passphrase-source.js';
import type { Passphrase, PassphrasePrompt } from './passphrase-source.js';

/**
 * Find the NEW root passphrase for a passphrase change: env HAVEN_NEW_ROOT_PASSPHRASE, else
 * HAVEN_NEW_ROOT_PASSPHRASE_FILE (a path, or a file descriptor `3` / `fd:3`), else the terminal (asked twice).
 * Never the config file or the command line. Refuses a missing, short or mistyped passphrase.
 * @param env - the environment
 * @param prompt - terminal prompt, when there is a terminal
 */
export async function requireNewPassphrase(env: Readonly<Record<string, string | undefined>>, prompt?: PassphrasePrompt): Promise<Passphrase> {
  const confirmed: PassphrasePrompt | undefined =
    prompt === undefined
      ? undefined
      : async () => {
          const first = await prompt('new root key passphrase: ');
          if (first === undefined) {
            return undefined;
          }
          if ((await prompt('repeat the new root key passphrase: ')) !== first) {
            throw new HavenError('HAVEN_KEYS_PASSPHRASE_MISMATCH');
          }
          return first;
        };
  let found: Passphrase | undefined;
  try {
    // The same sources and rules as the current passphrase, under the NEW_ variable names.
    found = await findPassphrase(
      { HAVEN_ROOT_PASSPHRASE: env.HAVEN_NEW_ROOT_PASSPHRASE, HAVEN_ROOT_PASSPHRASE_FILE: env.HAVEN_NEW_ROOT_PASSPHRASE_FILE },
      confirmed,
    );
  } catch (err) {
    if (err instanceof HavenError && err.code === 'HAVEN_KEYS_PASSPHRASE_MISSING') {
      throw new HavenError('HAVEN_KEYS_NEW_PASSPHRASE_MISSING', undefined, { cause: err });
    }
    throw err;
  }
  if (found === undefined) {
    throw new HavenError('HAVEN_KEYS_NEW_PASSPHRASE_MISSING');
  }
  if (found.value.length < MIN_PASSPHRASE_LENGTH) {
    throw new HavenError('HAVEN_KEYS_PASSPHRASE_WEAK');
  }
  return found;
}
