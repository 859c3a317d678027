import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPassphrase, generatePassphrase, requirePassphrase } from './passphrase-source.js';

const dir = mkdtempSync(join(tmpdir(), 'haven-pass-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('root passphrase sources', () => {
  it('prefers the environment, then a file path, then a file descriptor, then the prompt', async () => {
    const file = join(dir, 'p');
    writeFileSync(file, 'from the file, long enough\n');
    expect(await findPassphrase({ HAVEN_ROOT_PASSPHRASE: 'env value', HAVEN_ROOT_PASSPHRASE_FILE: file })).toEqual({ value: 'env value', origin: 'env' });
    expect(await findPassphrase({ HAVEN_ROOT_PASSPHRASE_FILE: file })).toEqual({ value: 'from the file, long enough', origin: 'file' });
    const fd = openSync(file, 'r');
    try {
      expect(await findPassphrase({ HAVEN_ROOT_PASSPHRASE_FILE: `fd:${fd}` })).toEqual({ value: 'from the file, long enough', origin: 'fd' });
    } finally {
      closeSync(fd);
    }
    expect(await findPassphrase({}, () => Promise.resolve('typed'))).toEqual({ value: 'typed', origin: 'prompt' });
    expect(await findPassphrase({})).toBeUndefined();
  });

  it('names a missing or unreadable passphrase with one clear code', async () => {
    await expect(requirePassphrase({})).rejects.toMatchObject({ code: 'HAVEN_KEYS_PASSPHRASE_MISSING' });
    await expect(findPassphrase({ HAVEN_ROOT_PASSPHRASE_FILE: join(dir, 'absent') })).rejects.toMatchObject({ code: 'HAVEN_KEYS_PASSPHRASE_MISSING' });
    await expect(findPassphrase({}, () => Promise.resolve('\n'))).rejects.toMatchObject({ code: 'HAVEN_KEYS_PASSPHRASE_MISSING' });
  });

  it('generates distinct 150-bit passphrases in base32 groups', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePassphrase();
      expect(p).toMatch(/^[0-9a-hjkmnp-tv-z]{5}(?:-[0-9a-hjkmnp-tv-z]{5}){5}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});
