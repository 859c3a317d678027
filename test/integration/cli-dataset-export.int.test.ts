import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/errors/codes.js';
import { parseCsv } from '../../src/libs/formats/csv/index.js';
import { losCsvChunks } from '../../src/libs/synth/index.js';
import { haven } from '../helpers/cli.js';
import { listenHttps, type ListeningServer } from '../helpers/listen.js';
import { createPersona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const CLI_TIMEOUT_MS = 180_000;
const PII_CSV = [...losCsvChunks({ rows: 300, seed: 8, withPii: true })].join('');
const PII = parseCsv(Buffer.from(PII_CSV));

for (const store of testStores()) {
  describe(`haven dataset label|publish, haven export --deidentified, haven import --schema [${store.name}]`, () => {
    let t: TestInstance;
    let server: ListeningServer;
    let dir: string;
    let stewardFile: string;
    let scientistFile: string;
    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      server = await listenHttps(t);
      const steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      const scientist = await createPersona(t.instance, 'scientist', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] });
      dir = mkdtempSync(join(tmpdir(), 'haven-cli-dataset-'));
      stewardFile = join(dir, 'steward-token');
      scientistFile = join(dir, 'scientist-token');
      writeFileSync(stewardFile, `${steward.token}\n`, { mode: 0o600 });
      writeFileSync(scientistFile, `${scientist.token}\n`, { mode: 0o600 });
      writeFileSync(join(dir, 'pii.csv'), PII_CSV);
      const r = await haven(['import', join(dir, 'pii.csv'), '--workspace', 'alpha', '--dataset', 'pii'], env(stewardFile));
      expect(r.code, r.stderr).toBe(0);
    }, CLI_TIMEOUT_MS);
    afterAll(async () => {
      await server?.app.close();
      await t?.cleanup();
      await store.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const env = (tokenFile: string): Record<string, string> => ({ HAVEN_SERVER: server.url, HAVEN_CA: server.caFile, HAVEN_TOKEN_FILE: tokenFile });
    const version = ['--workspace', 'alpha', '--dataset', 'pii', '--version', '1'];

    it(
      'labels a column (the handling and the stored values follow); a downgrade without --confirm-decrypt is refused',
      async () => {
        const r = await haven(
          [
            'dataset',
            'label',
            ...version,
            '--column',
            'facid',
            '--label',
            'direct_identifier',
            '--kind',
            'unique_id',
            '--reason',
            'facility codes identify small sites',
          ],
          env(stewardFile),
        );
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('pii version 1 (ready): facid quasi_identifier/facility → direct_identifier/unique_id');
        expect(r.stdout).toContain('stored plain → pseudonymise: 300 rows rewritten');

        const same = await haven(
          ['dataset', 'label', ...version, '--column', 'rcount', '--label', 'non_sensitive', '--reason', 'a count, not identifying'],
          env(stewardFile),
        );
        expect(same.code, same.stderr).toBe(0);
        expect(same.stdout).toContain('stored as before: plain');
        const down = await haven(
          ['dataset', 'label', ...version, '--column', 'First', '--label', 'non_sensitive', '--reason', 'lowering needs a confirmation'],
          env(stewardFile),
        );
        expect(down.code).toBe(exitCodeFor('HAVEN_INGEST_DECRYPT_NOT_CONFIRMED'));
        expect(down.stderr).toContain('error HAVEN_INGEST_DECRYPT_NOT_CONFIRMED');
        const bad = await haven(
          ['dataset', 'label', ...version, '--column', 'facid', '--label', 'quasi_identifier', '--kind', 'ssn', '--reason', 'a kind of another label'],
          env(stewardFile),
        );
        expect(bad.code).toBe(exitCodeFor('HAVEN_INGEST_LABEL_INVALID'));
        const usage = await haven(
          [
            'dataset',
            'label',
            '--workspace',
            'alpha',
            '--dataset',
            'pii',
            '--version',
            'one',
            '--column',
            'x',
            '--label',
            'non_sensitive',
            '--reason',
            'not a number',
          ],
          env(stewardFile),
        );
        expect(usage.code).toBe(exitCodeFor('HAVEN_USAGE'));
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'exports de-identified to a 0600 file and prints what was done; no identifier of the file is in it',
      async () => {
        const out = join(dir, 'pii-deid.csv');
        const r = await haven(['export', ...version, '--deidentified', '--out', out], env(stewardFile));
        expect(r.code, r.stderr).toBe(0);
        expect(statSync(out).mode & 0o777).toBe(0o600);
        expect(r.stdout).toContain(`exported pii version 1 de-identified: 300 rows`);
        expect(r.stdout).toMatch(/^dropped: First, Middle, Last, .*ssn, phone, email, street, city, ccnum, notes$/m);
        expect(r.stdout).toMatch(/^generalised: vdate, .*discharged, .*zip, birthdate, age$/m);
        expect(r.stdout).toMatch(/^export codes: eid, facid$/m);
        expect(r.stdout).toMatch(/^zip\s+direct_identifier\/zip\s+zip3\s+300\s+0\s+0\s+\d+$/m);
        const text = readFileSync(out, 'utf8');
        const header = text.split('\r\n')[0]!.split(',');
        expect(header).not.toContain('First');
        expect(header).not.toContain('ssn');
        const h = PII.summary.header!;
        for (const rec of PII.records) {
          for (const c of ['Last', 'ssn', 'email', 'phone', 'vdate', 'birthdate']) {
            expect(text.includes(rec.fields[h.indexOf(c)]!)).toBe(false);
          }
        }
        // Values never reach the terminal either.
        expect(r.stdout + r.stderr).not.toContain(PII.records[0]!.fields[h.indexOf('ssn')]!);

        const json = await haven(['export', ...version, '--deidentified', '--dates', 'shift', '--out', join(dir, 'shifted.csv'), '--json'], env(stewardFile));
        expect(json.code, json.stderr).toBe(0);
        expect(JSON.parse(json.stdout)).toMatchObject({ dates: 'shift', patientColumn: 'eid', rows: 300 });
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'refuses without --deidentified, over an existing file, or for a data scientist, leaving no file behind',
      async () => {
        const out = join(dir, 'refused.csv');
        const plain = await haven(['export', ...version, '--out', out], env(stewardFile));
        expect(plain.code).toBe(exitCodeFor('HAVEN_USAGE'));
        expect(plain.stderr).toContain('add --deidentified');
        writeFileSync(join(dir, 'taken.csv'), 'mine\n');
        const taken = await haven(['export', ...version, '--deidentified', '--out', join(dir, 'taken.csv')], env(stewardFile));
        expect(taken.code).toBe(exitCodeFor('HAVEN_USAGE'));
        expect(readFileSync(join(dir, 'taken.csv'), 'utf8')).toBe('mine\n');
        const scientist = await haven(['export', ...version, '--deidentified', '--out', out], env(scientistFile));
        expect(scientist.code).toBe(exitCodeFor('HAVEN_AUTH_FORBIDDEN'));
        expect(scientist.stderr).toContain('error HAVEN_AUTH_FORBIDDEN');
        expect(existsSync(out)).toBe(false);
        expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'a download cut short (a value that cannot be decrypted) exits non-zero and leaves no file',
      async () => {
        writeFileSync(join(dir, 'damaged.csv'), [...losCsvChunks({ rows: 1200, seed: 9, withPii: true })].join(''));
        const imported = await haven(['import', join(dir, 'damaged.csv'), '--workspace', 'alpha', '--dataset', 'damaged'], env(stewardFile));
        expect(imported.code, imported.stderr).toBe(0);
        const ds = (await t.instance.storage.read.datasets.datasetByName('ws-alpha', 'damaged'))!;
        const v = (await t.instance.storage.read.datasets.version(ds.id, 1))!;
        const [row] = await t.instance.storage.read.datasets.rows(v.id, 1099, 1);
        const doc = JSON.parse(row!.data) as { e: Record<string, string> };
        doc.e.vdate = doc.e.discharged!; // a real ciphertext bound to another column
        await t.instance.storage.transaction((repos) => repos.datasets.updateRowData(v.id, row!.rowNo, JSON.stringify(doc)));
        const out = join(dir, 'damaged-deid.csv');
        const r = await haven(['export', '--workspace', 'alpha', '--dataset', 'damaged', '--version', '1', '--deidentified', '--out', out], env(stewardFile));
        expect(r.code).not.toBe(0);
        expect(r.stderr).toMatch(/^error HAVEN_CLI_(SERVER_UNREACHABLE|BAD_RESPONSE)/m);
        expect(existsSync(out)).toBe(false);
        expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'imports with --schema: bad rows quarantined; a header mismatch or a bad schema file is a coded error',
      async () => {
        writeFileSync(join(dir, 'small.csv'), 'id,score\n1,5\n2,x\n3,500\n');
        writeFileSync(join(dir, 'other.csv'), 'id,points\n1,5\n');
        writeFileSync(
          join(dir, 'schema.json'),
          JSON.stringify({
            columns: [
              { name: 'id', type: 'integer' },
              { name: 'score', type: 'integer', min: 0, max: 100 },
            ],
          }),
        );
        writeFileSync(join(dir, 'bad-schema.json'), JSON.stringify({ columns: [{ name: 'id', type: 'uuid' }] }));
        const ok = await haven(
          ['import', join(dir, 'small.csv'), '--workspace', 'alpha', '--dataset', 'small', '--schema', join(dir, 'schema.json')],
          env(stewardFile),
        );
        expect(ok.code, ok.stderr).toBe(0);
        expect(ok.stdout).toContain('rows read 3 = stored 1 + quarantined 2');
        const mismatch = await haven(
          ['import', join(dir, 'other.csv'), '--workspace', 'alpha', '--dataset', 'other', '--schema', join(dir, 'schema.json')],
          env(stewardFile),
        );
        expect(mismatch.code).toBe(exitCodeFor('HAVEN_CSV_SCHEMA_MISMATCH'));
        expect(mismatch.stderr).toContain('error HAVEN_CSV_SCHEMA_MISMATCH');
        // A bad schema file fails before the server is contacted (an unreachable server would give another code).
        const bad = await haven(['import', join(dir, 'small.csv'), '--workspace', 'alpha', '--dataset', 'x', '--schema', join(dir, 'bad-schema.json')], {
          HAVEN_SERVER: 'https://127.0.0.1:1',
          HAVEN_TOKEN_FILE: stewardFile,
        });
        expect(bad.code).toBe(exitCodeFor('HAVEN_INGEST_SCHEMA_INVALID'));
        expect(bad.stderr).not.toContain('uuid');
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'publishes; a published version refuses relabelling with a coded conflict',
      async () => {
        const pub = await haven(['dataset', 'publish', ...version], env(stewardFile));
        expect(pub.code, pub.stderr).toBe(0);
        expect(pub.stdout).toMatch(/^published pii version 1 at \d{4}-/);
        const r = await haven(
          ['dataset', 'label', ...version, '--column', 'sodium', '--label', 'non_sensitive', '--reason', 'too late for this version'],
          env(stewardFile),
        );
        expect(r.code).toBe(exitCodeFor('HAVEN_INGEST_VERSION_PUBLISHED'));
        expect(r.stderr).toContain('error HAVEN_INGEST_VERSION_PUBLISHED');
      },
      CLI_TIMEOUT_MS,
    );
  });
}
