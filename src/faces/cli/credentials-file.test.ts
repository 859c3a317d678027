import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { generateApiToken } from '../../libs/crypto/tokens.js';
import { readTokenFile, tokenFilePath, writeTokenFile } from './credentials-file.js';

const root = mkdtempSync(join(tmpdir(), 'haven-cred-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof HavenError ? err.code : 'not-haven';
  }
}

describe('tokenFilePath', () => {
  it('prefers --token-file, then HAVEN_TOKEN_FILE, then XDG_CONFIG_HOME, then ~/.config', () => {
    expect(tokenFilePath('/a/t', { HAVEN_TOKEN_FILE: '/b/t' })).toBe('/a/t');
    expect(tokenFilePath(undefined, { HAVEN_TOKEN_FILE: '/b/t', HOME: '/h' })).toBe('/b/t');
    expect(tokenFilePath(undefined, { XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/haven/token');
    expect(tokenFilePath(undefined, { HOME: '/h' })).toBe('/h/.config/haven/token');
  });
});

describe('token file', () => {
  it('writes atomically with mode 0600 in a 0700 directory, leaves no temporary file, and reads back', () => {
    const path = join(root, 'new', 'dir', 'token');
    const { token } = generateApiToken();
    writeTokenFile(path, token);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'new', 'dir')).mode & 0o777).toBe(0o700);
    expect(readTokenFile(path)).toBe(token);
    const second = generateApiToken().token;
    writeTokenFile(path, second);
    expect(readTokenFile(path)).toBe(second);
    expect(readdirSync(join(root, 'new', 'dir'))).toEqual(['token']);
  });

  it('a missing file means not logged in', () => {
    expect(codeOf(() => readTokenFile(join(root, 'absent')))).toBe('HAVEN_CLI_NOT_LOGGED_IN');
  });

  it('refuses group- or world-readable files and symlinks', () => {
    const { token } = generateApiToken();
    for (const mode of [0o640, 0o604, 0o644, 0o660]) {
      const path = join(root, `loose-${mode.toString(8)}`);
      writeFileSync(path, token, { mode: 0o600 });
      chmodSync(path, mode);
      expect(
        codeOf(() => readTokenFile(path)),
        mode.toString(8),
      ).toBe('HAVEN_CLI_TOKEN_FILE_INSECURE');
    }
    const target = join(root, 'target');
    writeFileSync(target, token, { mode: 0o600 });
    const link = join(root, 'link');
    symlinkSync(target, link);
    expect(codeOf(() => readTokenFile(link))).toBe('HAVEN_CLI_TOKEN_FILE_INSECURE');
    expect(codeOf(() => readTokenFile(root))).toBe('HAVEN_CLI_TOKEN_FILE_INSECURE');
  });

  it('refuses content that is not a well-formed token', () => {
    const path = join(root, 'garbage');
    const token = generateApiToken().token;
    writeFileSync(path, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), { mode: 0o600 });
    expect(codeOf(() => readTokenFile(path))).toBe('HAVEN_CLI_TOKEN_FILE_INVALID');
  });
});
