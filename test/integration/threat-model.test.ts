import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface ThreatRow {
  id: string;
  status: string;
  tests: string;
}

function threats(): ThreatRow[] {
  const rows = readFileSync('docs/threat-model.md', 'utf8')
    .split('\n')
    .filter((l) => /^\| T-\d{3} \|/.test(l))
    .map((l) => l.split('|').map((c) => c.trim()));
  return rows.map((c) => ({ id: c[1]!, status: c[5]!, tests: c[6]! }));
}

describe('docs/threat-model.md as data', () => {
  const rows = threats();

  it('has threats with unique ids and known statuses', () => {
    expect(rows.length).toBeGreaterThan(10);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of rows) {
      expect(['mitigated', 'open', 'accepted'], r.id).toContain(r.status);
    }
  });

  it.each(rows.filter((r) => r.status === 'mitigated').map((r) => [r.id, r.tests]))('%s names tests that exist', (_id, tests) => {
    const refs = tests.split(';').map((s) => s.trim());
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const [file, title] = ref.split('#') as [string, string | undefined];
      expect(existsSync(file), `${file} exists`).toBe(true);
      expect(title, `${ref} names a test`).toBeTruthy();
      expect(readFileSync(file, 'utf8'), `${file} has a test titled "${title}"`).toContain(title!);
    }
  });
});
