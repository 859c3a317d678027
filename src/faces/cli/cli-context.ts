import { resolve } from 'node:path';
import { HavenError } from '../../errors/haven-error.js';

/** Where output goes; commands write through this so tests can capture it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The process's own streams and environment. */
export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

/**
 * The data directory from `--data-dir` or HAVEN_DATA_DIR; there is deliberately no implicit default,
 * so a command never touches a directory the user did not name.
 * @param option - the --data-dir value
 * @param env - the environment
 */
export function dataDirFrom(option: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const dir = option ?? env.HAVEN_DATA_DIR;
  if (!dir) {
    throw new HavenError('HAVEN_USAGE', 'give the data directory with --data-dir DIR or HAVEN_DATA_DIR');
  }
  return resolve(dir);
}
