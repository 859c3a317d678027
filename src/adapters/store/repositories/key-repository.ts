import type { Insertable, Kysely, Selectable } from 'kysely';
import type { BlobRecord, KeyJobRecord, KeyRepository, KeyState, KeyVersionRecord, ProtectedFieldRecord, SigningKeyRecord } from '../../../services/ports.js';
import type { HavenDatabase } from '../database.js';
import type { KeyVersionTable, ProtectedFieldTable } from '../migrations/0003-keys.js';

function toVersion(r: Selectable<KeyVersionTable>): KeyVersionRecord {
  return {
    workspace: r.workspace,
    keyId: r.key_id,
    version: Number(r.version),
    purpose: r.purpose,
    parentId: r.parent_id,
    parentVersion: Number(r.parent_version),
    wrapped: r.wrapped,
    state: r.state as KeyState,
    createdAt: r.created_at,
    retiredAt: r.retired_at,
    destroyedAt: r.destroyed_at,
    invocations: Number(r.invocations),
  };
}

// 12 columns per row: 800 rows stay below SQLite's and PostgreSQL's bound-parameter limits.
const ROWS_PER_STATEMENT = 800;

function toRow(k: KeyVersionRecord): Insertable<KeyVersionTable> {
  return {
    workspace: k.workspace,
    key_id: k.keyId,
    version: k.version,
    purpose: k.purpose,
    parent_id: k.parentId,
    parent_version: k.parentVersion,
    wrapped: k.wrapped,
    state: k.state,
    created_at: k.createdAt,
    retired_at: k.retiredAt,
    destroyed_at: k.destroyedAt,
    invocations: k.invocations,
  };
}

function toField(r: Selectable<ProtectedFieldTable>): ProtectedFieldRecord {
  return {
    workspace: r.workspace,
    dataset: r.dataset,
    column: r.column_name,
    recordId: r.record_id,
    keyVersion: Number(r.key_version),
    ciphertext: r.ciphertext,
  };
}

/**
 * Keys, vault cells, blob records, key jobs and signing keys. Integers go through Number() because pg returns
 * bigint as a string.
 * @param db - a Kysely handle (transaction or root)
 */
export function keyRepository(db: Kysely<HavenDatabase>): KeyRepository {
  return {
    async insertVersion(k) {
      await this.insertVersions([k]);
    },
    async insertVersions(records) {
      for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
        await db
          .insertInto('key_version')
          .values(records.slice(i, i + ROWS_PER_STATEMENT).map(toRow))
          // Two processes may create the same first version at once; the loser re-reads the winner's row.
          .onConflict((oc) => oc.columns(['workspace', 'key_id', 'version']).doNothing())
          .execute();
      }
    },
    async rewrapMany(records) {
      for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
        await db
          .insertInto('key_version')
          .values(records.slice(i, i + ROWS_PER_STATEMENT).map(toRow))
          .onConflict((oc) =>
            oc
              .columns(['workspace', 'key_id', 'version'])
              .doUpdateSet((eb) => ({ wrapped: eb.ref('excluded.wrapped'), parent_version: eb.ref('excluded.parent_version') }))
              .where('key_version.state', '!=', 'destroyed'),
          )
          .execute();
      }
    },
    async versions(workspace, keyId) {
      const rows = await db.selectFrom('key_version').selectAll().where('workspace', '=', workspace).where('key_id', '=', keyId).orderBy('version').execute();
      return rows.map(toVersion);
    },
    async list(workspace) {
      let q = db.selectFrom('key_version').selectAll();
      if (workspace !== undefined) {
        q = q.where('workspace', '=', workspace);
      }
      const rows = await q.orderBy('workspace').orderBy('key_id').orderBy('version').execute();
      return rows.map(toVersion);
    },
    async wrappedByOtherVersion(workspace, parentId, parentVersion, limit) {
      const rows = await db
        .selectFrom('key_version')
        .selectAll()
        .where('workspace', '=', workspace)
        .where('parent_id', '=', parentId)
        .where('parent_version', '<', parentVersion)
        .where('state', '!=', 'destroyed')
        // No ORDER BY: the (workspace, parent_id, parent_version) index yields matches in order and stops at the limit.
        .limit(limit)
        .execute();
      return rows.map(toVersion);
    },
    async retire(workspace, keyId, version, at) {
      await db
        .updateTable('key_version')
        .set({ state: 'retired', retired_at: at })
        .where('workspace', '=', workspace)
        .where('key_id', '=', keyId)
        .where('version', '=', version)
        .where('state', '=', 'active')
        .execute();
    },
    async destroy(workspace, keyId, version, at) {
      let q = db
        .updateTable('key_version')
        .set({ state: 'destroyed', wrapped: null, destroyed_at: at })
        .where('workspace', '=', workspace)
        .where('key_id', '=', keyId)
        .where('state', '!=', 'destroyed');
      if (version !== undefined) {
        q = q.where('version', '=', version);
      }
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async destroyWorkspace(workspace, at) {
      const r = await db
        .updateTable('key_version')
        .set({ state: 'destroyed', wrapped: null, destroyed_at: at })
        .where('workspace', '=', workspace)
        .where('state', '!=', 'destroyed')
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async reserve(workspace, keyId, version, expected, next) {
      const r = await db
        .updateTable('key_version')
        .set({ invocations: next })
        .where('workspace', '=', workspace)
        .where('key_id', '=', keyId)
        .where('version', '=', version)
        .where('invocations', '=', expected)
        .where('state', '=', 'active')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async putField(f) {
      const values = {
        workspace: f.workspace,
        dataset: f.dataset,
        column_name: f.column,
        record_id: f.recordId,
        key_version: f.keyVersion,
        ciphertext: f.ciphertext,
      };
      await db
        .insertInto('protected_field')
        .values(values)
        .onConflict((oc) => oc.columns(['workspace', 'dataset', 'column_name', 'record_id']).doUpdateSet({ key_version: f.keyVersion, ciphertext: f.ciphertext }))
        .execute();
    },
    async getField(workspace, dataset, column, recordId) {
      const r = await db
        .selectFrom('protected_field')
        .selectAll()
        .where('workspace', '=', workspace)
        .where('dataset', '=', dataset)
        .where('column_name', '=', column)
        .where('record_id', '=', recordId)
        .executeTakeFirst();
      return r ? toField(r) : undefined;
    },
    async fieldsNotAtVersion(workspace, dataset, keyVersion, after, limit) {
      let q = db
        .selectFrom('protected_field')
        .selectAll()
        .where('workspace', '=', workspace)
        .where('dataset', '=', dataset)
        .where('key_version', '!=', keyVersion);
      if (after) {
        q = q.where((eb) =>
          eb.or([eb('column_name', '>', after.column), eb.and([eb('column_name', '=', after.column), eb('record_id', '>', after.recordId)])]),
        );
      }
      const rows = await q.orderBy('column_name').orderBy('record_id').limit(limit).execute();
      return rows.map(toField);
    },
    async countFieldsAtVersion(workspace, dataset, keyVersion) {
      const r = await db
        .selectFrom('protected_field')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspace', '=', workspace)
        .where('dataset', '=', dataset)
        .where('key_version', '=', keyVersion)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async fieldDatasets(workspace) {
      const rows = await db.selectFrom('protected_field').select('dataset').distinct().where('workspace', '=', workspace).orderBy('dataset').execute();
      return rows.map((r) => r.dataset);
    },
    async deleteFields(workspace, dataset) {
      let q = db.deleteFrom('protected_field').where('workspace', '=', workspace);
      if (dataset !== undefined) {
        q = q.where('dataset', '=', dataset);
      }
      const r = await q.executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    async insertBlob(b) {
      await db
        .insertInto('blob_object')
        .values({ id: b.id, workspace: b.workspace, kind: b.kind, key_version: b.keyVersion, file_name: b.fileName, size: b.size, created_at: b.createdAt })
        .execute();
    },
    async getBlob(id) {
      const r = await db.selectFrom('blob_object').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toBlob(r) : undefined;
    },
    async updateBlob(id, keyVersion, fileName) {
      await db.updateTable('blob_object').set({ key_version: keyVersion, file_name: fileName }).where('id', '=', id).execute();
    },
    async deleteBlob(id) {
      await db.deleteFrom('blob_object').where('id', '=', id).execute();
    },
    async blobs(workspace) {
      let q = db.selectFrom('blob_object').selectAll();
      if (workspace !== undefined) {
        q = q.where('workspace', '=', workspace);
      }
      const rows = await q.orderBy('id').execute();
      return rows.map(toBlob);
    },

    async getJob(id) {
      const r = await db.selectFrom('key_job').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) {
        return undefined;
      }
      return {
        id: r.id,
        kind: r.kind,
        workspace: r.workspace,
        cursor: r.cursor,
        processed: Number(r.processed),
        state: r.state as KeyJobRecord['state'],
        updatedAt: r.updated_at,
      };
    },
    async putJob(j) {
      const values = { id: j.id, kind: j.kind, workspace: j.workspace, cursor: j.cursor, processed: j.processed, state: j.state, updated_at: j.updatedAt };
      await db
        .insertInto('key_job')
        .values(values)
        .onConflict((oc) => oc.column('id').doUpdateSet({ cursor: j.cursor, processed: j.processed, state: j.state, updated_at: j.updatedAt }))
        .execute();
    },

    async insertSigningKey(s) {
      await db
        .insertInto('signing_key')
        .values({
          key_id: s.keyId,
          purpose: s.purpose,
          seed_version: s.seedVersion,
          public_pem: s.publicPem,
          state: s.state,
          created_at: s.createdAt,
          retired_at: s.retiredAt,
        })
        .execute();
    },
    async signingKeys(purpose) {
      const rows = await db.selectFrom('signing_key').selectAll().where('purpose', '=', purpose).orderBy('seed_version').execute();
      return rows.map(
        (r): SigningKeyRecord => ({
          keyId: r.key_id,
          purpose: r.purpose,
          seedVersion: Number(r.seed_version),
          publicPem: r.public_pem,
          state: r.state as SigningKeyRecord['state'],
          createdAt: r.created_at,
          retiredAt: r.retired_at,
        }),
      );
    },
    async retireSigningKey(keyId, at) {
      await db.updateTable('signing_key').set({ state: 'retired', retired_at: at }).where('key_id', '=', keyId).where('state', '=', 'active').execute();
    },
  };
}

function toBlob(r: { id: string; workspace: string; kind: string; key_version: number; file_name: string; size: number | string; created_at: string }): BlobRecord {
  return { id: r.id, workspace: r.workspace, kind: r.kind, keyVersion: Number(r.key_version), fileName: r.file_name, size: Number(r.size), createdAt: r.created_at };
}
