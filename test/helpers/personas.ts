import { base32Decode, totp } from '../../src/libs/crypto/totp.js';
import type { Instance } from '../../src/composition/open-instance.js';
import type { GlobalRole, WorkspaceRole } from '../../src/services/access/policy.js';
import { principalOf } from '../../src/services/identity/principal-factory.js';

/** A ready user: known password, enrolled TOTP, and an API token issued just after MFA. */
export interface Persona {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly totpSecret: Buffer;
  readonly token: string;
  /** A valid TOTP code for `atMs` (default: the instance clock now). */
  code(atMs?: number): string;
}

/** Options for a persona. */
export interface PersonaOptions {
  readonly globalRoles?: readonly GlobalRole[];
  readonly memberships?: readonly { readonly workspace: string; readonly role: WorkspaceRole }[];
  /** Leave the first-login state (forced password change, no MFA) instead of completing it. */
  readonly incomplete?: boolean;
}

const PASSWORD = 'correct horse battery staple 42!';

/**
 * Create a user through Haven's own services, as a site admin and the user would: generated password, changed to a
 * known one, TOTP enrolled and confirmed, workspaces joined (created if missing), and a token issued.
 * @param instance - the instance
 * @param username - user name
 * @param opts - roles and memberships
 */
export async function createPersona(instance: Instance, username: string, opts: PersonaOptions = {}): Promise<Persona> {
  const created = await instance.audit.withAudit(instance.storage, { actor: 'test', action: 'user.create', resource: username, requestId: 'test' }, (repos) =>
    instance.users.createIn(repos, username, opts.globalRoles ?? []),
  );
  const ctx = { ip: '127.0.0.1', requestId: 'test' };
  let user = (await instance.storage.read.users.byUsername(username))!;
  let secret: Buffer = Buffer.alloc(0);
  if (!opts.incomplete) {
    await instance.identity.changePassword(user, created.password, PASSWORD, ctx);
    user = (await instance.storage.read.users.byUsername(username))!;
    const enrol = await instance.identity.beginTotpEnrolment(user, 'Haven', 'test');
    secret = base32Decode(enrol.secret);
    await instance.identity.confirmTotpEnrolment(user, totp(secret, instance.clock.now().getTime()), ctx);
    user = (await instance.storage.read.users.byUsername(username))!;
  }
  for (const m of opts.memberships ?? []) {
    await instance.storage.transaction(async (repos) => {
      let ws = await repos.workspaces.byName(m.workspace);
      if (!ws) {
        ws = { id: `ws-${m.workspace}`, name: m.workspace, createdAt: instance.clock.now().toISOString(), deletedAt: null };
        await repos.workspaces.insert(ws);
      }
      await repos.workspaces.addMember({ workspaceId: ws.id, userId: user.id, role: m.role });
    });
  }
  const mfaAt = opts.incomplete ? null : instance.clock.now().toISOString();
  const principal = await principalOf(instance.storage.read, user, { via: 'token', tokenScopes: null, tokenWorkspace: null, mfaAt });
  const issued = await instance.storage.transaction((repos) => instance.tokens.issueFor(repos, principal, { name: 'test' }));
  return {
    id: user.id,
    username,
    password: opts.incomplete ? created.password : PASSWORD,
    totpSecret: secret,
    token: issued.token,
    code: (atMs) => totp(secret, atMs ?? instance.clock.now().getTime()),
  };
}
