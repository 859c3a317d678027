import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/errors/codes.js';
import { haven } from '../helpers/cli.js';
import { listenHttps, type ListeningServer } from '../helpers/listen.js';
import { createPersona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';

/** The real 10,000-row sample, by a path relative to the repository root (as a user would type it). */
const SAMPLE = '../shared/data/los-10k.csv';
const CLI_TIMEOUT_MS = 180_000;

for (const store of testStores()) {
  describe(`haven import [${store.name}]`, () => {
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
      dir = mkdtempSync(join(tmpdir(), 'haven-cli-import-'));
      stewardFile = join(dir, 'steward-token');
      scientistFile = join(dir, 'scientist-token');
      writeFileSync(stewardFile, `${steward.token}\n`, { mode: 0o600 });
      writeFileSync(scientistFile, `${scientist.token}\n`, { mode: 0o600 });
    }, CLI_TIMEOUT_MS);
    afterAll(async () => {
      await server?.app.close();
      await t?.cleanup();
      await store.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const env = (tokenFile: string): Record<string, string> => ({ HAVEN_SERVER: server.url, HAVEN_CA: server.caFile, HAVEN_TOKEN_FILE: tokenFile });
    const importArgs = (file: string) => ['import', resolve(process.cwd(), file), '--workspace', 'alpha', '--dataset', 'stays'];

    it(
      'imports the 10,000-row sample with progress on stderr and prints the report; a re-import is a conflict',
      async () => {
        const r = await haven(importArgs(SAMPLE), env(stewardFile));
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('imported stays version 1 (ready)');
        expect(r.stdout).toContain('rows read 10000 = stored 10000 + quarantined 0');
        expect(r.stdout).toMatch(/^COLUMN\s+LABEL\/KIND\s+ACTION\s+CONFIDENCE$/m);
        expect(r.stdout).toMatch(/^First\s+direct_identifier\/name\s+encrypt\s+\d\.\d\d$/m);
        expect(r.stdout).toMatch(/^eid\s+direct_identifier\/unique_id\s+pseudonymise\s+\d\.\d\d$/m);
        // Not a terminal: plain progress lines, ending with the whole file sent, and no carriage returns.
        expect(r.stderr).toMatch(/progress: 100% 1\.5 MB\/1\.5 MB {2}[\d.]+ MB\/s {2}~[\d,]+ rows\/s {2}ETA 0:00/);
        expect(r.stderr).not.toContain('\r');
        // No cell value reaches the terminal: names from the file are not echoed.
        expect(r.stdout + r.stderr).not.toContain('LASTCEVUDKM');

        const again = await haven(importArgs(SAMPLE), env(stewardFile));
        expect(again.code).toBe(exitCodeFor('HAVEN_INGEST_DUPLICATE'));
        expect(again.stderr).toContain('error HAVEN_INGEST_DUPLICATE');
        expect(again.stdout).toBe('');
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'refuses a missing file as a usage error before contacting the server (or reading the token)',
      async () => {
        // An unreachable server and no token file: reaching either would give another exit code.
        const r = await haven(importArgs('no-such-file.csv'), { HAVEN_SERVER: 'https://127.0.0.1:1', HAVEN_TOKEN_FILE: join(dir, 'absent') });
        expect(r.code).toBe(exitCodeFor('HAVEN_USAGE'));
        expect(r.stderr).toContain('error HAVEN_USAGE: cannot read the file to import');
        expect(r.stderr).not.toContain('progress');
      },
      CLI_TIMEOUT_MS,
    );

    it(
      "refuses a data scientist's token with the auth exit code",
      async () => {
        const r = await haven([...importArgs(SAMPLE).slice(0, -1), 'other'], env(scientistFile));
        expect(r.code).toBe(exitCodeFor('HAVEN_AUTH_INVALID_TOKEN'));
        expect(r.stderr).toMatch(/error HAVEN_AUTH_\w+/);
        expect(r.stdout).toBe('');
      },
      CLI_TIMEOUT_MS,
    );
  });
}
