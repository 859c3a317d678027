import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { HavenError } from '../../errors/haven-error.js';
import { isWellFormedApiToken } from '../../libs/crypto/tokens.js';

const MAX_TOKEN_FILE_BYTES = 4096;

/**
 * Where the CLI keeps its API token: --token-file, else HAVEN_TOKEN_FILE, else ~/.config/haven/token
 * (under XDG_CONFIG_HOME when that is set).
 * @param option - the --token-file value
 * @param env - the environment
 */
export function tokenFilePath(option: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const explicit = option ?? env.HAVEN_TOKEN_FILE;
  if (explicit !== undefined && explicit !== '') {
    return resolve(explicit);
  }
  const configHome = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  return resolve(configHome, 'haven', 'token');
}

/**
 * Read the token. The file must be a regular file (symlinks are not followed), owned by this user, and readable by
 * nobody else: a token another local user could read is treated as leaked, so the CLI refuses it rather than use it.
 * @param path - the token file
 */
export function readTokenFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new HavenError('HAVEN_CLI_NOT_LOGGED_IN');
    }
    // ELOOP: the path is a symlink, which O_NOFOLLOW refuses.
    throw new HavenError('HAVEN_CLI_TOKEN_FILE_INSECURE', undefined, { detail: { reason: code ?? 'open' } });
  }
  try {
    const st = fstatSync(fd);
    const uid = process.getuid?.();
    if (!st.isFile() || (st.mode & 0o077) !== 0 || (uid !== undefined && st.uid !== uid)) {
      throw new HavenError('HAVEN_CLI_TOKEN_FILE_INSECURE', undefined, { detail: { mode: (st.mode & 0o777).toString(8) } });
    }
    if (st.size > MAX_TOKEN_FILE_BYTES) {
      throw new HavenError('HAVEN_CLI_TOKEN_FILE_INVALID');
    }
    const token = readFileSync(fd, 'utf8').trim();
    if (!isWellFormedApiToken(token)) {
      throw new HavenError('HAVEN_CLI_TOKEN_FILE_INVALID');
    }
    return token;
  } finally {
    closeSync(fd);
  }
}

/**
 * Write the token atomically with mode 0600: a temporary file created exclusively beside the target, synced, then
 * renamed over it, so a crash leaves either the old token or the new one and never a readable partial file.
 * The directory is created with mode 0700 when missing.
 * @param path - the token file
 * @param token - the API token
 */
export function writeTokenFile(path: string, token: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeFileSync(fd, `${token}\n`);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  syncDir(dir);
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform can fsync a directory; the rename itself is still atomic.
  }
}
