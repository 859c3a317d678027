import type { Command } from 'commander';
import { initInstance } from '../../../composition/init-instance.js';
import { ttyPrompt } from '../../../adapters/keys/tty-prompt.js';
import { dataDirFrom, type CliIo } from '../cli-context.js';

/** `haven init`: create and secure a data directory; prints the bootstrap token once. */
export function registerInitCommand(program: Command, io: CliIo): void {
  program
    .command('init')
    .description('create a new data directory: config, TLS certificate, ledger keys, database and the first site admin')
    .option('--data-dir <dir>', 'data directory (or HAVEN_DATA_DIR)')
    .option('--force', 'replace an existing data directory (destroys it)')
    .option('--database-url <url>', 'use PostgreSQL at this URL (no password in it; see database.passwordFile)')
    .option('--database-schema <name>', 'PostgreSQL schema to use')
    .action(async (opts: { dataDir?: string; force?: boolean; databaseUrl?: string; databaseSchema?: string }) => {
      const dataDir = dataDirFrom(opts.dataDir, io.env);
      const database = { ...(opts.databaseUrl ? { url: opts.databaseUrl } : {}), ...(opts.databaseSchema ? { schema: opts.databaseSchema } : {}) };
      const config = Object.keys(database).length > 0 ? { database } : {};
      const prompt = process.stdin.isTTY ? ttyPrompt() : undefined;
      const keys = prompt ? { prompt } : {};
      const result = await initInstance(dataDir, { force: opts.force ?? false, config, env: io.env, keys });
      io.out(`initialised ${result.dataDir} (instance ${result.instanceId})`);
      io.out(`TLS CA certificate: ${result.caFile}`);
      if (result.generatedPassphrase) {
        io.out('root key passphrase (generated; shown once; give it to `haven serve` as HAVEN_ROOT_PASSPHRASE or HAVEN_ROOT_PASSPHRASE_FILE):');
        io.out(`  ${result.generatedPassphrase}`);
      }
      io.out(`first site admin: ${result.adminUsername}`);
      io.out(`  password (shown once; change it and enrol MFA at first login): ${result.adminPassword}`);
    });
}
