import { randomUUID } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';
import { isWorkspaceRole, type Principal } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock, Storage } from '../ports.js';
import type { WorkspaceRecord } from './identity-ports.js';

/** Workspace names: lower-case, digits and dashes, 2–64 characters (they appear in URLs). */
export const WORKSPACE_NAME_PATTERN = '^[a-z0-9][a-z0-9-]{1,63}$';

/** Workspaces (research project boundaries) and their members. */
export class WorkspaceService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Create a workspace (site admin). */
  create(actor: Principal, requestId: string, name: string): Promise<WorkspaceRecord> {
    return this.audit.withAudit(this.storage, { actor: actor.subject, action: 'workspace.create', resource: `workspace:${name}`, requestId }, async (repos) => {
      if (await repos.workspaces.byName(name)) {
        throw new HavenError('HAVEN_WORKSPACE_EXISTS');
      }
      const ws = { id: randomUUID(), name, createdAt: this.clock.now().toISOString(), deletedAt: null };
      await repos.workspaces.insert(ws);
      return ws;
    });
  }

  /** Find a workspace by name (undefined if none). */
  byName(name: string): Promise<WorkspaceRecord | undefined> {
    return this.storage.read.workspaces.byName(name);
  }

  /** All workspaces (site admin). */
  list(): Promise<WorkspaceRecord[]> {
    return this.storage.read.workspaces.list();
  }

  /** Give a user a role in a workspace (site admin). Global roles cannot be held in a workspace. */
  addMember(actor: Principal, requestId: string, workspace: string, username: string, role: string): Promise<void> {
    if (!isWorkspaceRole(role)) {
      throw new HavenError('HAVEN_HTTP_VALIDATION', 'unknown workspace role');
    }
    return this.audit.withAudit(this.storage, { actor: actor.subject, action: 'workspace.add_member', resource: `workspace:${workspace}`, requestId, detail: { role } }, async (repos) => {
      const ws = await repos.workspaces.byName(workspace);
      const user = await repos.users.byUsername(username);
      if (!ws || !user) {
        throw new HavenError('HAVEN_HTTP_NOT_FOUND');
      }
      if ((await repos.workspaces.members(ws.id)).some((m) => m.userId === user.id && m.role === role)) {
        throw new HavenError('HAVEN_WORKSPACE_MEMBER_EXISTS');
      }
      await repos.workspaces.addMember({ workspaceId: ws.id, userId: user.id, role });
    });
  }

  /** Remove every role of a user in a workspace (site admin). */
  removeMember(actor: Principal, requestId: string, workspace: string, username: string): Promise<void> {
    return this.audit.withAudit(this.storage, { actor: actor.subject, action: 'workspace.remove_member', resource: `workspace:${workspace}`, requestId }, async (repos) => {
      const ws = await repos.workspaces.byName(workspace);
      const user = await repos.users.byUsername(username);
      if (!ws || !user || (await repos.workspaces.removeMember(ws.id, user.id)) === 0) {
        throw new HavenError('HAVEN_HTTP_NOT_FOUND');
      }
    });
  }
}
