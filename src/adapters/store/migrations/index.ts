import type { Migration, MigrationProvider } from 'kysely';
import { migration0001 } from './0001-foundation.js';
import { migration0002 } from './0002-identity.js';
import { migration0003 } from './0003-keys.js';
import { migration0004 } from './0004-sso-webauthn.js';
import { migration0005 } from './0005-datasets.js';
import { migration0006 } from './0006-encounters.js';
import { migration0007 } from './0007-models.js';
import { migration0009 } from './0009-privacy-ledger.js';
import { migration0010 } from './0010-version-screens.js';
import { migration0011 } from './0011-report-releases.js';

/**
 * All migrations, in order. Forward-only: never edit a shipped migration, add a new one.
 * Kept in code (not read from disk) so the compiled package carries them.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': migration0001,
  '0002-identity': migration0002,
  '0003-keys': migration0003,
  '0004-sso-webauthn': migration0004,
  '0005-datasets': migration0005,
  '0006-encounters': migration0006,
  '0007-models': migration0007,
  '0009-privacy-ledger': migration0009,
  '0010-version-screens': migration0010,
  '0011-report-releases': migration0011,
};

/** A Kysely migration provider over the static list. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
