import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/errors/codes.js';
import { haven } from '../helpers/cli.js';
import { listenHttps, type ListeningServer } from '../helpers/listen.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const SAMPLE = readFileSync(new URL('../../../shared/data/los-10k.csv', import.meta.url));
const CLI_TIMEOUT_MS = 180_000;

for (const store of testStores()) {
  describe(`haven train, runs, model and predict [${store.name}]`, () => {
    let t: TestInstance;
    let server: ListeningServer;
    let dir: string;
    const files: Record<string, string> = {};
    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      server = await listenHttps(t);
      const people: Record<string, Persona> = {
        steward: await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] }),
        scientist: await createPersona(t.instance, 'scientist', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] }),
        doc: await createPersona(t.instance, 'doc', { memberships: [{ workspace: 'alpha', role: 'clinician' }] }),
      };
      dir = mkdtempSync(join(tmpdir(), 'haven-cli-models-'));
      for (const [name, p] of Object.entries(people)) {
        files[name] = join(dir, `${name}-token`);
        writeFileSync(files[name]!, `${p.token}\n`, { mode: 0o600 });
      }
      const auth = { authorization: `Bearer ${people.steward!.token}` };
      const imported = await server.app.inject({
        method: 'POST',
        url: '/api/workspaces/alpha/datasets/stays/imports',
        headers: { ...auth, 'content-type': 'text/csv' },
        payload: SAMPLE,
      });
      expect(imported.statusCode, imported.body).toBe(201);
      expect((await server.app.inject({ method: 'POST', url: '/api/workspaces/alpha/datasets/stays/versions/1/publish', headers: auth })).statusCode).toBe(200);
      const [header, ...rows] = SAMPLE.toString('utf8').split(/\r?\n/).slice(0, 4);
      writeFileSync(join(dir, 'patients.csv'), `${[header, ...rows].join('\n')}\n`);
    }, CLI_TIMEOUT_MS);
    afterAll(async () => {
      await server?.app.close();
      await t?.cleanup();
      await store.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const env = (who: string): Record<string, string> => ({ HAVEN_SERVER: server.url, HAVEN_CA: server.caFile, HAVEN_TOKEN_FILE: files[who]! });

    it(
      'trains with progress on stderr, prints metrics, top features and the gate; lists and compares runs',
      async () => {
        const r = await haven(
          ['train', '--workspace', 'alpha', '--dataset', 'stays@1', '--target', 'lengthofstay', '--name', 'los', '--param', 'nRounds=120'],
          env('scientist'),
        );
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/^run 1: succeeded in [\d.]+ s → model los version 1 \(candidate\)$/m);
        expect(r.stdout).toMatch(/^test metrics: RMSE 0\.\d{3} {2}MAE/m);
        expect(r.stdout).toMatch(/^top features: \S+ [\d.]+%/m);
        expect(r.stdout).toContain('privacy audit: the release gate passes');
        expect(r.stderr).not.toContain('\r');
        const second = await haven(
          [
            'train',
            '--workspace',
            'alpha',
            '--dataset',
            'stays',
            '--target',
            'lengthofstay',
            '--name',
            'los',
            '--param',
            'nRounds=60',
            '--param',
            'maxDepth=3',
          ],
          env('scientist'),
        );
        expect(second.code, second.stderr).toBe(0);
        const list = await haven(['runs', 'list', '--workspace', 'alpha'], env('scientist'));
        expect(list.stdout).toMatch(/^1\s+succeeded\s+stays@1\s+los@1\s+0\.\d{3}/m);
        expect(list.stdout).toMatch(/^2\s+succeeded\s+stays@1\s+los@2/m);
        const compare = await haven(['runs', 'compare', '1', '2', '--workspace', 'alpha'], env('scientist'));
        expect(compare.stdout).toMatch(/^nRounds\s+120\s+60$/m);
        expect(compare.stdout).toMatch(/^maxDepth\s+4\s+3$/m);
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'refuses bad parameters with the input exit code, and a clinician with the auth exit code',
      async () => {
        const bad = await haven(
          ['train', '--workspace', 'alpha', '--dataset', 'stays', '--target', 'lengthofstay', '--param', 'learningRate=2'],
          env('scientist'),
        );
        expect(bad.code).toBe(exitCodeFor('HAVEN_TRAIN_BAD_PARAM'));
        expect(bad.stderr).toContain('HAVEN_TRAIN_BAD_PARAM');
        const malformed = await haven(
          ['train', '--workspace', 'alpha', '--dataset', 'stays', '--target', 'lengthofstay', '--param', 'nRounds'],
          env('scientist'),
        );
        expect(malformed.code).toBe(exitCodeFor('HAVEN_USAGE'));
        const doc = await haven(['train', '--workspace', 'alpha', '--dataset', 'stays', '--target', 'lengthofstay'], env('doc'));
        expect(doc.code).toBe(exitCodeFor('HAVEN_AUTH_FORBIDDEN'));
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'the steward reads the card and approves; the clinician scores a CSV file',
      async () => {
        const show = await haven(['model', 'show', 'los', '1', '--workspace', 'alpha'], env('steward'));
        expect(show.code, show.stderr).toBe(0);
        expect(show.stdout).toMatch(/^membership inference \(loss_threshold\): AUC 0\.\d{3}, TPR/m);
        expect(show.stdout).toMatch(/^membership inference \(lira\): AUC 0\.\d{3}/m);
        const selfApprove = await haven(['model', 'approve', 'los', '1', '--workspace', 'alpha'], env('scientist'));
        expect(selfApprove.code).toBe(exitCodeFor('HAVEN_AUTH_FORBIDDEN'));
        const approve = await haven(['model', 'approve', 'los', '1', '--workspace', 'alpha'], env('steward'));
        expect(approve.code, approve.stderr).toBe(0);
        expect(approve.stdout).toContain('approved los version 1');
        const list = await haven(['model', 'list', '--workspace', 'alpha'], env('steward'));
        expect(list.stdout).toMatch(/^los\s+1\s+approved\s+1\s+0\.\d{3}\s+0\.\d{3}\s+pass$/m);
        expect(list.stdout).toMatch(/^los\s+2\s+candidate/m);
        const predict = await haven(['predict', join(dir, 'patients.csv'), '--workspace', 'alpha', '--model', 'los'], env('doc'));
        expect(predict.code, predict.stderr).toBe(0);
        expect(predict.stdout).toMatch(/^ROW\s+PREDICTION\s+INTERVAL\s+OUT OF DISTRIBUTION$/m);
        expect(predict.stdout).toMatch(/^3\s+\d+\s+\d+–\d+\s+-$/m);
        expect(predict.stdout).toMatch(/query budget used 3 of \d+/);
        // Names in the scored file never come back.
        const names = SAMPLE.toString('utf8').split(/\r?\n/)[1]!.split(',').slice(0, 3);
        for (const n of names.filter((x) => x.length > 2)) {
          expect(predict.stdout + predict.stderr).not.toContain(n);
        }
      },
      CLI_TIMEOUT_MS,
    );
  });
}
