import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/errors/codes.js';
import { haven } from '../helpers/cli.js';
import { listenHttps, type ListeningServer } from '../helpers/listen.js';
import { createPersona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';
import { staysCsv, staysWorkbook } from '../helpers/workbooks.js';

const CLI_TIMEOUT_MS = 120_000;

for (const store of testStores()) {
  describe(`haven import of an Excel workbook [${store.name}]`, () => {
    let t: TestInstance;
    let server: ListeningServer;
    let dir: string;
    let tokenFile: string;
    let book: string;
    let disguised: string;
    let csv: string;
    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      server = await listenHttps(t);
      const steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      dir = mkdtempSync(join(tmpdir(), 'haven-cli-xlsx-'));
      tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, `${steward.token}\n`, { mode: 0o600 });
      const bytes = await staysWorkbook();
      book = join(dir, 'book.xlsx');
      writeFileSync(book, bytes);
      // The same workbook under a CSV name: the content decides, not the name.
      disguised = join(dir, 'stays.csv');
      writeFileSync(disguised, bytes);
      csv = join(dir, 'plain.csv');
      writeFileSync(csv, staysCsv());
    }, CLI_TIMEOUT_MS);
    afterAll(async () => {
      await server?.app.close();
      await t?.cleanup();
      await store.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const env = (): Record<string, string> => ({ HAVEN_SERVER: server.url, HAVEN_CA: server.caFile, HAVEN_TOKEN_FILE: tokenFile });
    const importArgs = (file: string, dataset: string, ...more: string[]) => ['import', file, '--workspace', 'alpha', '--dataset', dataset, ...more];

    it(
      'imports the first sheet with progress on stderr and prints the report with the quarantined row',
      async () => {
        const r = await haven(importArgs(book, 'book'), env());
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('imported book version 1 (ready)');
        expect(r.stdout).toContain('rows read 61 = stored 60 + quarantined 1');
        expect(r.stdout).toMatch(/^First\s+direct_identifier\/name\s+encrypt\s+\d\.\d\d$/m);
        expect(r.stdout).toMatch(/^vdate\s+direct_identifier\/date\s+\w+\s+\d\.\d\d$/m);
        expect(r.stderr).toMatch(/progress: 100% /);
        expect(r.stdout + r.stderr).not.toContain('Rodriguez');
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'imports a named sheet with --sheet, recognising the workbook by its content whatever its name',
      async () => {
        const r = await haven(importArgs(disguised, 'labs', '--sheet', 'Labs', '--json'), env());
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ rowsRead: 10, rowsStored: 10, rowsQuarantined: 0 });
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'a missing sheet exits with the not-found code, without echoing the name',
      async () => {
        const r = await haven(importArgs(book, 'missing', '--sheet', 'Patients of Dr Jones'), env());
        expect(r.code).toBe(exitCodeFor('HAVEN_XLSX_SHEET_NOT_FOUND'));
        expect(r.stderr).toContain('error HAVEN_XLSX_SHEET_NOT_FOUND');
        expect(r.stderr).not.toContain('Jones');
        expect(r.stdout).toBe('');
      },
      CLI_TIMEOUT_MS,
    );

    it(
      '--sheet on a CSV file is a usage error found before contacting the server',
      async () => {
        const r = await haven(importArgs(csv, 'nope', '--sheet', 'Data'), { HAVEN_SERVER: 'https://127.0.0.1:1', HAVEN_TOKEN_FILE: join(dir, 'absent') });
        expect(r.code).toBe(exitCodeFor('HAVEN_USAGE'));
        expect(r.stderr).toContain('error HAVEN_USAGE: --sheet applies only to an Excel workbook');
      },
      CLI_TIMEOUT_MS,
    );
  });
}
