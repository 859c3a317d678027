import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWebDir, loadWebBundle } from './web-assets.js';

describe('web assets', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves only plain-named files of allowed types; hashed assets are immutable; nothing outside the directory', () => {
    dir = mkdtempSync(join(tmpdir(), 'haven-web-'));
    mkdirSync(join(dir, 'assets'));
    mkdirSync(join(dir, '.vite'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(dir, 'assets', 'index-AbCdEf12.js'), 'export {}');
    writeFileSync(join(dir, 'assets', 'style-Zz09_-aa.css'), 'body{}');
    writeFileSync(join(dir, 'assets', 'index-AbCdEf12.js.map'), '{}');
    writeFileSync(join(dir, 'assets', 'notes.md'), 'secret');
    writeFileSync(join(dir, '.vite', 'manifest.json'), '{}');
    writeFileSync(join(dir, 'robots.txt'), 'User-agent: *');
    symlinkSync('/etc/hostname', join(dir, 'assets', 'linked-AbCdEf12.js'));
    const bundle = loadWebBundle(dir)!;
    expect([...bundle.files.keys()].sort()).toEqual(['assets/index-AbCdEf12.js', 'assets/style-Zz09_-aa.css', 'robots.txt']);
    expect(bundle.files.get('assets/index-AbCdEf12.js')).toMatchObject({ contentType: 'text/javascript; charset=utf-8', immutable: true });
    expect(bundle.files.get('robots.txt')).toMatchObject({ immutable: false });
    expect(bundle.index.contentType).toBe('text/html; charset=utf-8');
    expect(bundle.index.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });

  it('is absent when the dashboard is not built', () => {
    dir = mkdtempSync(join(tmpdir(), 'haven-web-'));
    expect(loadWebBundle(dir)).toBeUndefined();
  });

  it('finds dist/web of the package from the sources', () => {
    expect(defaultWebDir()).toBe(join(process.cwd(), 'dist', 'web'));
  });
});
