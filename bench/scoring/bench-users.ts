import { randomBytes } from 'node:crypto';
import type { Instance } from '../../src/composition/open-instance.js';
import { base32Decode, totp } from '../../src/libs/crypto/totp.js';
import type { Principal, WorkspaceRole } from '../../src/services/access/policy.js';
import { principalOf } from '../../src/services/identity/principal-factory.js';

/** A fully enrolled bench user: its principal (for service calls) and an API token (for HTTP). */
export interface BenchUser {
  readonly principal: Principal;
  readonly token: string;
}

/**
 * Create a user through Haven's own services as a site admin and the user would (generated password changed, TOTP
 * enrolled and confirmed), add it to a workspace (created if missing) with one role, and issue it a token.
 * @param instance - the instance
 * @param username - user name
 * @param workspace - workspace name
 * @param role - the user's role there
 */
export async function createBenchUser(instance: Instance, username: string, workspace: string, role: WorkspaceRole): Promise<BenchUser> {
  const created = await instance.audit.withAudit(instance.storage, { actor: 'bench', action: 'user.create', resource: username, requestId: 'bench' }, (repos) =>
    instance.users.createIn(repos, username, []),
  );
  const ctx = { ip: '127.0.0.1', requestId: 'bench' };
  let user = (await instance.storage.read.users.byUsername(username))!;
  await instance.identity.changePassword(user, created.password, `bench ${randomBytes(12).toString('hex')} Aa1!`, ctx);
  user = (await instance.storage.read.users.byUsername(username))!;
  const enrol = await instance.identity.beginTotpEnrolment(user, 'Haven', 'bench');
  await instance.identity.confirmTotpEnrolment(user, totp(base32Decode(enrol.secret), instance.clock.now().getTime()), ctx);
  user = (await instance.storage.read.users.byUsername(username))!;
  await instance.storage.transaction(async (repos) => {
    let ws = await repos.workspaces.byName(workspace);
    if (!ws) {
      ws = { id: `ws-${workspace}`, name: workspace, createdAt: instance.clock.now().toISOString(), deletedAt: null };
      await repos.workspaces.insert(ws);
    }
    await repos.workspaces.addMember({ workspaceId: ws.id, userId: user.id, role });
  });
  const principal = await principalOf(instance.storage.read, user, {
    via: 'token',
    tokenScopes: null,
    tokenWorkspace: null,
    mfaAt: instance.clock.now().toISOString(),
  });
  const issued = await instance.storage.transaction((repos) => instance.tokens.issueFor(repos, principal, { name: 'bench' }));
  return { principal, token: issued.token };
}
