import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { writeReportFiles } from './doctor-report.js';

describe('writeReportFiles', () => {
  const roots: string[] = [];
  const fresh = (): string => {
    const root = mkdtempSync(join(tmpdir(), 'haven-report-'));
    roots.push(root);
    return root;
  };
  afterEach(() => {
    for (const r of roots.splice(0)) {
      rmSync(r, { recursive: true, force: true });
    }
  });

  it('creates the directory 0700 and writes every file 0600, replacing older reports', () => {
    const dir = join(fresh(), 'reports');
    writeReportFiles(dir, [{ name: 'report.json', content: 'old' }]);
    const paths = writeReportFiles(dir, [
      { name: 'report.json', content: '{}' },
      { name: 'report.html', content: '<!doctype html>' },
    ]);
    expect(paths).toEqual([join(dir, 'report.json'), join(dir, 'report.html')]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir).sort()).toEqual(['report.html', 'report.json']);
    expect(readFileSync(paths[0]!, 'utf8')).toBe('{}');
    for (const p of paths) {
      expect(statSync(p).mode & 0o777).toBe(0o600);
    }
  });

  it('when a later file cannot be written, earlier ones are not left behind (no partial report)', () => {
    const dir = join(fresh(), 'reports');
    let caught: unknown;
    try {
      writeReportFiles(dir, [
        { name: 'report.json', content: '{}' },
        { name: 'no-such-dir/report.html', content: 'x' },
      ]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(HavenError);
    expect((caught as HavenError).code).toBe('HAVEN_REPORT_DIR_UNUSABLE');
    expect((caught as HavenError).detail).toEqual({ reason: 'ENOENT' });
    expect(readdirSync(dir)).toEqual([]);
  });
});
