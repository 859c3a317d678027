import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openKeys, restoreInstance } from '../../src/composition/keys-setup.js';
import { openInstance } from '../../src/composition/open-instance.js';
import { CLI, haven, type CliRun } from '../helpers/cli.js';
import { createPersona } from '../helpers/personas.js';
import { rawSql, rawTextValues } from '../helpers/raw-sql.js';
import { TEST_POSTGRES_URL, testStores } from '../helpers/stores.js';
import { TEST_ROOT_PASSPHRASE, createTestInstance } from '../helpers/test-instance.js';
import { admission, sampleCsv, storedCiphertexts } from './keys-coverage-fixture.js';

/** A unique, improbable name-like value (letters only, so the classifier still sees a name). */
function canary(): string {
  return `Qz${[...randomBytes(10)].map((b) => String.fromCharCode(97 + (b % 26))).join('')}`;
}

/** Start `haven serve` with info-level logging; every byte it writes goes to `log`. */
function serve(dataDir: string, env: Record<string, string>, log: { text: string }): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', '0'], {
    env: { PATH: process.env.PATH ?? '', HAVEN_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.stdout.on('data', (d: Buffer) => (log.text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log.text += d.toString()));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const m = /haven listening on (https:\/\/\S+)/.exec(log.text);
      if (m) {
        child.stdout.off('data', onData);
        resolve({
          url: m[1]!,
          stop: async () => {
            child.kill('SIGTERM');
            return exit;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.on('close', () => reject(new Error(`serve exited early: ${log.text.slice(0, 2000)}`)));
  });
}

for (const store of testStores()) {
  describe(`seeded canaries never appear in plaintext [${store.name}]`, () => {
    const restoredSchemas: string[] = [];
    afterAll(async () => {
      for (const s of restoredSchemas) {
        await rawSql({ dataDir: tmpdir(), database: { url: TEST_POSTGRES_URL } }, [`drop schema if exists "${s}" cascade`]);
      }
      await store.cleanup();
    });

    it('not in the server log at info level, the CLI output, any table (file bytes / every text column) or a backup', { timeout: 300_000 }, async () => {
      expect(existsSync(CLI), 'build first: npx tsc -p tsconfig.json (npm test does)').toBe(true);
      const t = await createTestInstance(store, { withKeys: true });
      const work = mkdtempSync(join(tmpdir(), 'haven-canary-'));
      const log = { text: '' };
      const cliRuns: CliRun[] = [];
      const marker = `plainmarker${randomBytes(4).toString('hex')}`;
      try {
        const steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
        const doc = await createPersona(t.instance, 'doc', { memberships: [{ workspace: 'alpha', role: 'clinician' }] });
        writeFileSync(join(work, 'steward'), `${steward.token}\n`, { mode: 0o600 });
        writeFileSync(join(work, 'doc'), `${doc.token}\n`, { mode: 0o600 });

        // Identifier cells, quarantined lines and FHIR patient names all hold unique canaries.
        const names: [string, string, string][] = Array.from({ length: 50 }, () => [canary(), canary(), canary()]);
        const badLines = [`${canary()},${canary()},x`, `${canary()},1,2,3`];
        const patients: [string, string, string][] = [
          [canary(), canary(), canary()],
          [canary(), canary(), canary()],
        ];
        const badPatient = canary();
        const canaries = [...names.flat(), ...badLines.map((l) => l.split(',')[0]!), badLines[0]!.split(',')[1]!, ...patients.flat(), badPatient];
        expect(new Set(canaries).size).toBe(canaries.length);
        writeFileSync(join(work, 'stays.csv'), sampleCsv(1, 51, { names: (i) => names[i - 1]!, badLines }));
        patients.forEach((p, i) => writeFileSync(join(work, `admit${i}.json`), JSON.stringify(admission(400001 + i, p))));
        const bad = admission(400009, [badPatient, 'Xy', 'Yz']) as { encounter: { id: unknown } };
        bad.encounter.id = badPatient; // refused by the mapper (not a positive integer): its error must not echo the value
        writeFileSync(join(work, 'bad.json'), JSON.stringify(bad));

        const env = { HAVEN_ROOT_PASSPHRASE: TEST_ROOT_PASSPHRASE };
        const server = await serve(t.dataDir, env, log);
        let stopped = false;
        try {
          const client = (token: string) => ({ HAVEN_SERVER: server.url, HAVEN_CA: join(t.dataDir, 'tls/ca.pem'), HAVEN_TOKEN_FILE: join(work, token) });
          const imported = await haven(['import', join(work, 'stays.csv'), '--workspace', 'alpha', '--dataset', marker], client('steward'));
          cliRuns.push(imported);
          expect(imported.code, imported.stderr).toBe(0);
          expect(imported.stdout).toContain('rows read 52 = stored 50 + quarantined 2');
          for (const c of ['First', 'Middle', 'Last']) {
            expect(imported.stdout).toMatch(new RegExp(`^${c}\\s+direct_identifier/name\\s+encrypt\\s`, 'm'));
          }
          for (let i = 0; i < patients.length; i++) {
            const r = await haven(['admit', join(work, `admit${i}.json`), '--workspace', 'alpha'], client('doc'));
            cliRuns.push(r);
            expect(r.code, r.stderr).toBe(0);
          }
          const refused = await haven(['admit', join(work, 'bad.json'), '--workspace', 'alpha'], client('doc'));
          cliRuns.push(refused);
          expect(refused.code).not.toBe(0);
          // The admitting clinician reads the names back: they travel in the response, never into the log.
          const agent = new Agent({ ca: readFileSync(join(t.dataDir, 'tls/ca.pem')) });
          const body = await new Promise<string>((resolve, reject) => {
            const req = request(`${server.url}/api/workspaces/alpha/encounters/400001`, { agent, headers: { authorization: `Bearer ${doc.token}` } }, (res) => {
              let text = '';
              res.on('data', (d: Buffer) => (text += d.toString()));
              res.on('end', () => resolve(text));
            });
            req.on('error', reject);
            req.end();
          });
          expect(body).toContain(patients[0]![2]);
        } finally {
          stopped = (await server.stop()) === 0;
        }
        expect(stopped).toBe(true);

        // 1. Logs: real info-level request lines were written, and no canary is among them; nor in CLI output.
        expect(log.text).toMatch(/"level":30/);
        expect(log.text).toContain('request completed');
        const cliText = cliRuns.map((r) => r.stdout + r.stderr).join('\n');
        for (const c of canaries) {
          expect(log.text, 'server log').not.toContain(c);
          expect(cliText, 'CLI output').not.toContain(c);
        }

        // The canaries are really stored (encrypted): every one decrypts from the database with the key.
        const rt = await openKeys(t.dataDir, t.instance.storage, t.instance.clock, env);
        try {
          const stored: string[] = [];
          for (const ct of await storedCiphertexts(t)) {
            stored.push((await rt.keys.decryptField(t.instance.storage, ct.cell, ct.text)).toString('utf8'));
          }
          const joined = stored.join('\n');
          for (const c of canaries.filter((c) => c !== badPatient)) {
            expect(joined).toContain(c);
          }
        } finally {
          await rt.close();
        }

        // 2. A raw dump of every table: the marker (stored in clear as the dataset name) is found, no canary is.
        if (store.name === 'sqlite') {
          const files = ['haven.db', 'haven.db-wal'].map((f) => join(t.dataDir, f)).filter((f) => existsSync(f));
          const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
          const strings = execFileSync('strings', ['-n', '6', ...files], { maxBuffer: 256 * 1024 * 1024 }).toString();
          expect(bytes.includes(Buffer.from(marker))).toBe(true);
          expect(strings).toContain(marker);
          for (const c of canaries) {
            expect(bytes.includes(Buffer.from(c)), 'SQLite file bytes').toBe(false);
            expect(strings).not.toContain(c);
          }
        }
        const values = (await rawTextValues(t)).map((v) => v.value).join('\n');
        expect(values).toContain(marker);
        for (const c of canaries) {
          expect(values, 'a text column').not.toContain(c);
        }

        // 3. A backup made by `haven backup`: no canary in its bytes, yet a restore brings them all back.
        const backupFile = join(work, 'b.hvnb');
        const b = await haven(['backup', '--data-dir', t.dataDir, '--out', backupFile], env);
        cliRuns.push(b);
        expect(b.code, b.stderr).toBe(0);
        const backup = readFileSync(backupFile);
        const backupStrings = execFileSync('strings', ['-n', '6', backupFile], { maxBuffer: 256 * 1024 * 1024 }).toString();
        for (const c of canaries) {
          expect(backup.includes(Buffer.from(c)), 'backup bytes').toBe(false);
          expect(backupStrings).not.toContain(c);
          expect(b.stdout + b.stderr).not.toContain(c);
        }
        const target = join(work, 'restored');
        const schema = `haven_r_${randomBytes(5).toString('hex')}`;
        if (store.name === 'postgres') {
          restoredSchemas.push(schema);
        }
        await restoreInstance({ inFile: backupFile, targetDir: target, env, ...(store.name === 'postgres' ? { databaseSchema: schema } : {}) });
        const restored = await openInstance(target, { env: {} });
        try {
          const rrt = await openKeys(target, restored.storage, restored.clock, env);
          try {
            const back: string[] = [];
            for (const ct of await storedCiphertexts({ dataDir: target, database: restored.config.database })) {
              back.push((await rrt.keys.decryptField(restored.storage, ct.cell, ct.text)).toString('utf8'));
            }
            expect(back.join('\n')).toContain(names[0]![0]);
            expect(back.join('\n')).toContain(patients[1]![2]);
          } finally {
            await rrt.close();
          }
        } finally {
          await restored.close();
        }
      } finally {
        rmSync(work, { recursive: true, force: true });
        await t.cleanup();
      }
    });
  });
}
