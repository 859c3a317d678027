import { describe, expect, it } from 'vitest';
import { runCli } from '../main.js';
import { formatImportReport } from './import-command.js';

describe('formatImportReport', () => {
  it('prints the version, the reconciliation and one table row per column with its action', () => {
    const lines = formatImportReport({
      dataset: 'stays',
      version: 3,
      status: 'ready',
      sha256: 'ab'.repeat(32),
      rowsRead: 12,
      rowsStored: 10,
      rowsQuarantined: 2,
      classification: [
        { column: 'Last', label: 'direct_identifier', kind: 'name', confidence: 0.973 },
        { column: 'pulse', label: 'sensitive_attribute', confidence: 0.8 },
      ],
      handling: [
        { column: 'Last', action: 'encrypt' },
        { column: 'pulse', action: 'plain' },
      ],
    });
    expect(lines.slice(0, 3)).toEqual(['imported stays version 3 (ready)', `sha256 ${'ab'.repeat(32)}`, 'rows read 12 = stored 10 + quarantined 2']);
    expect(lines).toContain('Last    direct_identifier/name  encrypt  0.97');
    expect(lines).toContain('pulse   sensitive_attribute     plain    0.80');
  });
});

describe('haven import arguments', () => {
  it('needs --workspace and --dataset (usage exit code) and documents --gzip', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: {} };
    expect(await runCli(['import', 'file.csv', '--dataset', 'stays'], io)).toBe(2);
    expect(out.join('\n')).toContain('--workspace');
    out.length = 0;
    expect(await runCli(['import', '--help'], io)).toBe(0);
    expect(out.join('\n')).toContain('--gzip');
  });
});
