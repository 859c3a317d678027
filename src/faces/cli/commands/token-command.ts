import type { Command } from 'commander';
import { bearerClientFrom, withConnectionOptions, type ConnectionOptions } from '../api-client.js';
import type { CliIo } from '../cli-context.js';
import { formatTable } from '../table.js';
import { parsePositiveInt } from './login-command.js';

interface TokenView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
  readonly scopes: readonly string[] | null;
  readonly workspace: string | null;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `haven token create|list|revoke`: your own API tokens, using the token saved by `haven login`. */
export function registerTokenCommand(program: Command, io: CliIo): void {
  const token = program.command('token').description('create, list and revoke your own API tokens');
  withConnectionOptions(
    token
      .command('create')
      .description('create another API token (for a script or service); it is printed once and not saved')
      .requiredOption('--name <name>', 'a name to recognise it by')
      .option('--scope <permission>', 'limit the token to a permission you hold (repeatable; default: all of yours)', collect, [])
      .option('--workspace <name>', 'limit the token to one workspace you belong to')
      .option('--ttl-days <n>', 'lifetime in days (default: the server setting)', (v) => parsePositiveInt(v))
      .option('--json', 'print JSON'),
  ).action(async (opts: ConnectionOptions & { name: string; scope: string[]; workspace?: string; ttlDays?: number; json?: boolean }) => {
    const { client, token: bearer } = bearerClientFrom(opts, io.env);
    const body = {
      name: opts.name,
      ...(opts.scope.length > 0 ? { scopes: opts.scope } : {}),
      ...(opts.workspace ? { workspace: opts.workspace } : {}),
      ...(opts.ttlDays ? { ttlDays: opts.ttlDays } : {}),
    };
    const issued = (await client.call('POST', '/api/tokens', body, { bearer })).json as { id: string; token: string; expiresAt: string };
    if (opts.json) {
      io.out(JSON.stringify(issued));
      return;
    }
    io.out(`token ${issued.id} (expires ${issued.expiresAt}), shown once:`);
    io.out(issued.token);
  });
  withConnectionOptions(token.command('list').description('list your tokens (never the secret values)').option('--json', 'print JSON')).action(
    async (opts: ConnectionOptions & { json?: boolean }) => {
      const { client, token: bearer } = bearerClientFrom(opts, io.env);
      const { tokens } = (await client.call('GET', '/api/tokens', undefined, { bearer })).json as { tokens: TokenView[] };
      if (opts.json) {
        io.out(JSON.stringify(tokens));
        return;
      }
      const rows = tokens.map((t) => [t.id, t.name, t.revokedAt ? 'revoked' : 'active', t.expiresAt, t.lastUsedAt ?? '-', t.workspace ?? '-']);
      for (const line of formatTable(['ID', 'NAME', 'STATE', 'EXPIRES', 'LAST USED', 'WORKSPACE'], rows)) {
        io.out(line);
      }
    },
  );
  withConnectionOptions(
    token.command('revoke').description('revoke one of your tokens (it stops working at once)').argument('<id>', 'token id from haven token list'),
  ).action(async (id: string, opts: ConnectionOptions) => {
    const { client, token: bearer } = bearerClientFrom(opts, io.env);
    await client.call('DELETE', `/api/tokens/${encodeURIComponent(id)}`, undefined, { bearer });
    io.out(`revoked token ${id}`);
  });
}
