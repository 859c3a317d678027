#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { CATALOGUE } from '../../errors/codes.js';
import { HavenError } from '../../errors/haven-error.js';
import { HAVEN_VERSION } from '../../version.js';
import { processIo, type CliIo } from './cli-context.js';
import { registerAdmitCommands } from './commands/admit-command.js';
import { registerAuditCommand } from './commands/audit-command.js';
import { registerDoctorCommand } from './commands/doctor-command.js';
import { registerInitCommand } from './commands/init-command.js';
import { registerGenerateCommand } from './commands/generate-command.js';
import { registerKeysCommand } from './commands/keys-command.js';
import { registerBackupCommand } from './commands/backup-command.js';
import { registerLoginCommand } from './commands/login-command.js';
import { registerTokenCommand } from './commands/token-command.js';
import { registerUserCommand } from './commands/user-command.js';
import { registerWorkspaceCommand } from './commands/workspace-command.js';
import { registerImportCommand } from './commands/import-command.js';
import { registerDatasetCommand } from './commands/dataset-command.js';
import { registerExportCommand } from './commands/export-command.js';
import { registerRunsCommand, registerTrainCommand } from './commands/train-command.js';
import { registerModelCommand, registerPredictCommand } from './commands/model-command.js';
import { registerServeCommand } from './commands/serve-command.js';

/**
 * Build the `haven` program. Every command is registered here; each lives in commands/<verb>-command.ts.
 * @param io - output and environment
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('haven')
    .description('Haven: a secure-by-default workbench for machine learning on sensitive data')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  program
    .command('version')
    .description('print the version')
    .action(() => io.out(`haven ${HAVEN_VERSION}`));
  registerInitCommand(program, io);
  registerServeCommand(program, io);
  registerAuditCommand(program, io);
  registerDoctorCommand(program, io);
  registerGenerateCommand(program, io);
  registerKeysCommand(program, io);
  registerBackupCommand(program, io);
  registerLoginCommand(program, io);
  registerUserCommand(program, io);
  registerTokenCommand(program, io);
  registerWorkspaceCommand(program, io);
  registerAdmitCommands(program, io);
  registerImportCommand(program, io);
  registerDatasetCommand(program, io);
  registerExportCommand(program, io);
  registerTrainCommand(program, io);
  registerRunsCommand(program, io);
  registerModelCommand(program, io);
  registerPredictCommand(program, io);
  for (const cmd of program.commands) {
    cmd.exitOverride();
    for (const sub of cmd.commands) {
      sub.exitOverride();
    }
  }
  return program;
}

/**
 * Run the CLI and return the exit code: 0, a usage error (2) or the error category's code from the catalogue.
 * Messages are the error's safe message; stack traces and unknown error texts are never printed.
 * @param argv - arguments after the program name
 * @param io - output and environment
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    const haven = err instanceof HavenError ? err : new HavenError('HAVEN_INTERNAL', undefined, { cause: err });
    const message = haven.code === 'HAVEN_INTERNAL' ? CATALOGUE.HAVEN_INTERNAL.message : haven.message;
    io.err(`error ${haven.code}: ${message}`);
    return haven.exitCode;
  }
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.umask(0o077);
  process.exitCode = await runCli(process.argv.slice(2));
}
