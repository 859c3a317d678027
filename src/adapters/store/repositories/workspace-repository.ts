import type { Kysely } from 'kysely';
import type { MembershipRecord, WorkspaceRecord, WorkspaceRepository } from '../../../services/identity/identity-ports.js';
import type { HavenDatabase, MembershipTable, WorkspaceTable } from '../database.js';

const toWs = (r: WorkspaceTable): WorkspaceRecord => ({ id: r.id, name: r.name, createdAt: r.created_at, deletedAt: r.deleted_at });
const toM = (r: MembershipTable): MembershipRecord => ({ workspaceId: r.workspace_id, userId: r.user_id, role: r.role });

/**
 * Workspaces and memberships.
 * @param db - a Kysely handle (transaction or root)
 */
export function workspaceRepository(db: Kysely<HavenDatabase>): WorkspaceRepository {
  return {
    async insert(ws) {
      await db.insertInto('workspace').values({ id: ws.id, name: ws.name, created_at: ws.createdAt, deleted_at: ws.deletedAt }).execute();
    },
    async byName(name) {
      const r = await db.selectFrom('workspace').selectAll().where('name', '=', name).where('deleted_at', 'is', null).executeTakeFirst();
      return r ? toWs(r) : undefined;
    },
    async byId(id) {
      const r = await db.selectFrom('workspace').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
      return r ? toWs(r) : undefined;
    },
    async list() {
      return (await db.selectFrom('workspace').selectAll().where('deleted_at', 'is', null).orderBy('name').execute()).map(toWs);
    },
    async addMember(m) {
      await db.insertInto('membership').values({ workspace_id: m.workspaceId, user_id: m.userId, role: m.role }).execute();
    },
    async removeMember(workspaceId, userId) {
      const r = await db.deleteFrom('membership').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async membershipsOf(userId) {
      return (await db.selectFrom('membership').selectAll().where('user_id', '=', userId).execute()).map(toM);
    },
    async members(workspaceId) {
      return (await db.selectFrom('membership').selectAll().where('workspace_id', '=', workspaceId).execute()).map(toM);
    },
  };
}
