import type { Command } from 'commander';
import { WORKSPACE_ROLES } from '../../../services/access/policy.js';
import { bearerClientFrom, withConnectionOptions, type ConnectionOptions } from '../api-client.js';
import type { CliIo } from '../cli-context.js';
import { formatTable } from '../table.js';

interface WorkspaceView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

/** `haven workspace create|list|add-member|remove-member`: workspaces and their members (site admin, recent MFA). */
export function registerWorkspaceCommand(program: Command, io: CliIo): void {
  const ws = program.command('workspace').description('create workspaces and manage their members (site admin; needs a token from a recent login)');
  withConnectionOptions(ws.command('create').description('create a workspace').argument('<name>', 'workspace name').option('--json', 'print JSON')).action(
    async (name: string, opts: ConnectionOptions & { json?: boolean }) => {
      const { client, token } = bearerClientFrom(opts, io.env);
      const created = (await client.call('POST', '/api/workspaces', { name }, { bearer: token })).json as WorkspaceView;
      io.out(opts.json ? JSON.stringify(created) : `created workspace ${created.name} (${created.id})`);
    },
  );
  withConnectionOptions(ws.command('list').description('list workspaces').option('--json', 'print JSON')).action(
    async (opts: ConnectionOptions & { json?: boolean }) => {
      const { client, token } = bearerClientFrom(opts, io.env);
      const { workspaces } = (await client.call('GET', '/api/workspaces', undefined, { bearer: token })).json as { workspaces: WorkspaceView[] };
      if (opts.json) {
        io.out(JSON.stringify(workspaces));
        return;
      }
      for (const line of formatTable(
        ['NAME', 'ID', 'CREATED'],
        workspaces.map((w) => [w.name, w.id, w.createdAt]),
      )) {
        io.out(line);
      }
    },
  );
  withConnectionOptions(
    ws
      .command('add-member')
      .description('give a user a role in a workspace')
      .argument('<workspace>', 'workspace name')
      .argument('<username>', 'user name')
      .requiredOption('--role <role>', `workspace role: ${WORKSPACE_ROLES.join(', ')}`),
  ).action(async (workspace: string, username: string, opts: ConnectionOptions & { role: string }) => {
    const { client, token } = bearerClientFrom(opts, io.env);
    await client.call('POST', `/api/workspaces/${encodeURIComponent(workspace)}/members`, { username, role: opts.role }, { bearer: token });
    io.out(`${username} is now ${opts.role} in ${workspace}`);
  });
  withConnectionOptions(
    ws
      .command('remove-member')
      .description("remove a user's roles in a workspace")
      .argument('<workspace>', 'workspace name')
      .argument('<username>', 'user name'),
  ).action(async (workspace: string, username: string, opts: ConnectionOptions) => {
    const { client, token } = bearerClientFrom(opts, io.env);
    await client.call('DELETE', `/api/workspaces/${encodeURIComponent(workspace)}/members/${encodeURIComponent(username)}`, undefined, { bearer: token });
    io.out(`removed ${username} from ${workspace}`);
  });
}
