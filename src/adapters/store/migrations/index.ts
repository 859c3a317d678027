import type { Migration, MigrationProvider } from 'kysely';
import { migration0001 } from './0001-foundation.js';

/**
 * All migrations, in order. Forward-only: never edit a shipped migration, add a new one.
 * Kept in code (not read from disk) so the compiled package carries them.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': migration0001,
};

/** A Kysely migration provider over the static list. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
