import type { Kysely } from 'kysely';
import type { UserRecord, UserRepository } from '../../../services/identity/identity-ports.js';
import type { AppUserTable, HavenDatabase } from '../database.js';

function toRecord(r: AppUserTable): UserRecord {
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    passwordChangedAt: r.password_changed_at,
    mustChangePassword: Number(r.must_change_password) === 1,
    globalRoles: JSON.parse(r.global_roles) as string[],
    totpSecret: r.totp_secret,
    totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
    mfaEnrolledAt: r.mfa_enrolled_at,
    disabledAt: r.disabled_at,
    createdAt: r.created_at,
  };
}

const COLUMN_OF: Readonly<Record<string, keyof AppUserTable>> = {
  id: 'id',
  username: 'username',
  passwordHash: 'password_hash',
  passwordChangedAt: 'password_changed_at',
  mustChangePassword: 'must_change_password',
  globalRoles: 'global_roles',
  totpSecret: 'totp_secret',
  totpLastStep: 'totp_last_step',
  mfaEnrolledAt: 'mfa_enrolled_at',
  disabledAt: 'disabled_at',
  createdAt: 'created_at',
};

/** Map record fields that are present to their columns (booleans and arrays encoded for both databases). */
function toRow(u: Partial<UserRecord>): Partial<AppUserTable> {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(u)) {
    const column = COLUMN_OF[field];
    if (column === undefined || value === undefined) {
      continue;
    }
    row[column] = field === 'mustChangePassword' ? (value ? 1 : 0) : field === 'globalRoles' ? JSON.stringify(value) : value;
  }
  return row as Partial<AppUserTable>;
}

/**
 * Users, password history and recovery codes.
 * @param db - a Kysely handle (transaction or root)
 */
export function userRepository(db: Kysely<HavenDatabase>): UserRepository {
  return {
    async insert(u) {
      await db
        .insertInto('app_user')
        .values(toRow(u) as AppUserTable)
        .execute();
    },
    async byId(id) {
      const r = await db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    async byUsername(username) {
      const r = await db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    async list() {
      return (await db.selectFrom('app_user').selectAll().orderBy('username').execute()).map(toRecord);
    },
    async update(id, changes) {
      const row = toRow(changes);
      if (Object.keys(row).length > 0) {
        await db.updateTable('app_user').set(row).where('id', '=', id).execute();
      }
    },
    async addPasswordHistory(userId, passwordHash, at) {
      await db.insertInto('password_history').values({ user_id: userId, password_hash: passwordHash, created_at: at }).execute();
    },
    async recentPasswordHashes(userId, limit) {
      const rows = await db
        .selectFrom('password_history')
        .select('password_hash')
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.password_hash);
    },
    async replaceRecoveryCodes(userId, hashes) {
      await db.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
      if (hashes.length > 0) {
        await db
          .insertInto('recovery_code')
          .values(hashes.map((h) => ({ user_id: userId, code_hash: h, used_at: null })))
          .execute();
      }
    },
    async unusedRecoveryCodes(userId) {
      const rows = await db.selectFrom('recovery_code').select('code_hash').where('user_id', '=', userId).where('used_at', 'is', null).execute();
      return rows.map((r) => r.code_hash);
    },
    async useRecoveryCode(userId, hash, at) {
      const r = await db
        .updateTable('recovery_code')
        .set({ used_at: at })
        .where('user_id', '=', userId)
        .where('code_hash', '=', hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}
