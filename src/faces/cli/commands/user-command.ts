import type { Command } from 'commander';
import { GLOBAL_ROLES } from '../../../services/access/policy.js';
import { bearerClientFrom, withConnectionOptions, type ConnectionOptions } from '../api-client.js';
import type { CliIo } from '../cli-context.js';
import { formatTable } from '../table.js';

interface UserView {
  readonly id: string;
  readonly username: string;
  readonly globalRoles: readonly string[];
  readonly mfaEnrolled: boolean;
  readonly disabled: boolean;
  readonly mustChangePassword: boolean;
  readonly createdAt: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `haven user add|list|disable|reset-mfa`: user administration through the API (site admin, recent MFA). */
export function registerUserCommand(program: Command, io: CliIo): void {
  const user = program.command('user').description('manage users (site admin; needs a token from a recent login)');
  withConnectionOptions(
    user
      .command('add')
      .description('create a user; prints the generated first password once (it must be changed at first login)')
      .argument('<username>', 'user name')
      .option('--role <role>', `global role: ${GLOBAL_ROLES.join(' or ')} (repeatable)`, collect, [])
      .option('--json', 'print JSON'),
  ).action(async (username: string, opts: ConnectionOptions & { role: string[]; json?: boolean }) => {
    const { client, token } = bearerClientFrom(opts, io.env);
    const res = await client.call('POST', '/api/users', { username, ...(opts.role.length > 0 ? { globalRoles: opts.role } : {}) }, { bearer: token });
    const created = res.json as { user: UserView; password: string };
    if (opts.json) {
      io.out(JSON.stringify(created));
      return;
    }
    io.out(`created user ${created.user.username} (${created.user.id})`);
    io.out(`first password (shown once): ${created.password}`);
  });
  withConnectionOptions(user.command('list').description('list users').option('--json', 'print JSON')).action(
    async (opts: ConnectionOptions & { json?: boolean }) => {
      const { client, token } = bearerClientFrom(opts, io.env);
      const { users } = (await client.call('GET', '/api/users', undefined, { bearer: token })).json as { users: UserView[] };
      if (opts.json) {
        io.out(JSON.stringify(users));
        return;
      }
      const rows = users.map((u) => [
        u.username,
        u.globalRoles.join(',') || '-',
        u.mfaEnrolled ? 'yes' : 'no',
        u.disabled ? 'disabled' : u.mustChangePassword ? 'first-login' : 'active',
        u.createdAt,
      ]);
      for (const line of formatTable(['USERNAME', 'ROLES', 'MFA', 'STATE', 'CREATED'], rows)) {
        io.out(line);
      }
    },
  );
  withConnectionOptions(user.command('disable').description('disable a user: sessions end and tokens stop working').argument('<username>', 'user name')).action(
    async (username: string, opts: ConnectionOptions) => {
      const { client, token } = bearerClientFrom(opts, io.env);
      await client.call('POST', `/api/users/${encodeURIComponent(username)}/disable`, {}, { bearer: token });
      io.out(`disabled user ${username}`);
    },
  );
  withConnectionOptions(
    user.command('reset-mfa').description("remove a user's authenticator; they enrol again at next login").argument('<username>', 'user name'),
  ).action(async (username: string, opts: ConnectionOptions) => {
    const { client, token } = bearerClientFrom(opts, io.env);
    await client.call('POST', `/api/users/${encodeURIComponent(username)}/reset-mfa`, {}, { bearer: token });
    io.out(`reset MFA of user ${username}`);
  });
}
