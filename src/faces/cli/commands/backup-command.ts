import type { Command } from 'commander';
import { backupInstance, restoreInstance } from '../../../composition/keys-setup.js';
import { ttyPrompt } from '../../../adapters/keys/tty-prompt.js';
import { HavenError } from '../../../errors/haven-error.js';
import { dataDirFrom, type CliIo } from '../cli-context.js';

/**
 * `haven backup` and `haven restore`: encrypted, integrity-checked archives of a data directory and its database.
 * @param program - the CLI program
 * @param io - output and environment
 */
export function registerBackupCommand(program: Command, io: CliIo): void {
  program
    .command('backup')
    .description('write an encrypted backup (data directory + consistent database copy) under a key wrapped by the root key')
    .option('--data-dir <dir>', 'data directory (or HAVEN_DATA_DIR)')
    .requiredOption('--out <file>', 'backup file to create (must not exist)')
    .action(async (opts: { dataDir?: string; out: string }) => {
      const prompt = ttyPrompt();
      const r = await backupInstance(dataDirFrom(opts.dataDir, io.env), opts.out, io.env, prompt ? { prompt } : {});
      io.out(`backup written: ${opts.out} (${r.files} files, ${r.bytes} bytes)`);
    });
  program
    .command('restore')
    .description('restore a backup into an empty or absent directory; a wrong passphrase or damaged file writes nothing')
    .requiredOption('--in <file>', 'the backup file')
    .option('--data-dir <dir>', 'target data directory, empty or absent (or HAVEN_DATA_DIR)')
    .option('--database-schema <name>', 'PostgreSQL: restore into this empty schema instead of the original')
    .action(async (opts: { in: string; dataDir?: string; databaseSchema?: string }) => {
      if (!opts.in) {
        throw new HavenError('HAVEN_USAGE', 'give the backup file with --in FILE');
      }
      const prompt = ttyPrompt();
      const r = await restoreInstance({
        inFile: opts.in,
        targetDir: dataDirFrom(opts.dataDir, io.env),
        env: io.env,
        ...(prompt ? { prompt } : {}),
        ...(opts.databaseSchema ? { databaseSchema: opts.databaseSchema } : {}),
      });
      io.out(`restored ${r.files} files (${r.store})`);
    });
}
