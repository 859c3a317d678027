/**
 * Benchmark of key management through the services (run compiled):
 *   npx tsc -p tsconfig.json; node dist/bench/keys/bench-keys.js
 *
 * 1. Field encrypt+decrypt throughput through KeyService's DatasetCipher (text ciphertexts, usage reserved in the
 *    database) vs raw node:crypto AES-256-GCM on the same values in the same run (goal: ratio >= 0.7). Values are
 *    the cells of /work/shared/data/los-10k.csv (../shared from the repo root), synthetic when absent.
 * 2. Rotation of a workspace KEK with 100,000 DEKs stored in SQLite, local root provider: re-wrap every DEK in
 *    database transactions and destroy the old KEK (goal: < 10 s).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { initInstance } from '../../src/composition/init-instance.js';
import { openKeys } from '../../src/composition/keys-setup.js';
import { openInstance } from '../../src/composition/open-instance.js';
import { createChildKey, dataKeyLabel, generateKey, rewrapKey, wrapKey } from '../../src/libs/crypto/key-wrap.js';
import { rotateWorkspace } from '../../src/services/keys/key-rotation.js';
import type { DatasetCipher } from '../../src/services/keys/dataset-cipher.js';

interface Cell {
  readonly column: string;
  readonly recordId: string;
  readonly value: Buffer;
}

function loadCells(): { cells: Cell[]; source: string } {
  const path = resolve(process.cwd(), '../shared/data/los-10k.csv');
  const cells: Cell[] = [];
  if (existsSync(path)) {
    const [header, ...rows] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
    const columns = header!.split(',');
    const eidAt = columns.indexOf('eid');
    for (const row of rows) {
      const values = row.split(','); // the file has no quoted fields
      values.forEach((v, i) => cells.push({ column: columns[i]!, recordId: values[eidAt]!, value: Buffer.from(v) }));
    }
    return { cells, source: `${path} (${rows.length} rows x ${columns.length} columns)` };
  }
  for (let r = 0; r < 10_000; r++) {
    for (let c = 0; c < 31; c++) {
      cells.push({ column: `c${c}`, recordId: String(r), value: Buffer.from(`${r * 31 + c}.5`) });
    }
  }
  return { cells, source: 'synthetic (los-10k.csv not found)' };
}

function servicePass(cipher: DatasetCipher, cells: readonly Cell[]): number {
  let check = 0;
  for (const c of cells) {
    check += cipher.decrypt(c.column, c.recordId, cipher.encrypt(c.column, c.recordId, c.value)).length;
  }
  return check;
}

function rawPass(key: Buffer, cells: readonly Cell[]): number {
  let check = 0;
  for (const cell of cells) {
    const nonce = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, nonce);
    const ct = Buffer.concat([c.update(cell.value), c.final()]);
    const tag = c.getAuthTag();
    const d = createDecipheriv('aes-256-gcm', key, nonce);
    d.setAuthTag(tag);
    check += Buffer.concat([d.update(ct), d.final()]).length;
  }
  return check;
}

const env = { HAVEN_ROOT_PASSPHRASE: 'benchmark passphrase, long enough' };
const dir = mkdtempSync(join(tmpdir(), 'haven-bench-keys-'));
const dataDir = join(dir, 'data');
try {
  await initInstance(dataDir, { env, keys: { scryptParams: { N: 2 ** 15, r: 8, p: 1 } } });
  const instance = await openInstance(dataDir, { env });
  const rt = await openKeys(dataDir, instance.storage, instance.clock, env);

  const { cells, source } = loadCells();
  const bytes = cells.reduce((n, c) => n + c.value.length, 0);
  console.log(`values: ${cells.length} cells, ${bytes} plaintext bytes, from ${source}`);
  const prep = performance.now();
  const cipher = await rt.keys.datasetCipher(instance.storage, 'ws1', 'los', cells.length * 2 + 40_000);
  console.log(`key service setup (KEK + DEK creation, usage reservation): ${(performance.now() - prep).toFixed(0)} ms`);
  const rawKey = randomBytes(32);
  servicePass(cipher, cells.slice(0, 20_000));
  rawPass(rawKey, cells.slice(0, 20_000));
  // Interleave in batches, rotating order, so both variants see the same machine load.
  const BATCH = 5_000;
  let sMs = 0;
  let rMs = 0;
  let sCheck = 0;
  let rCheck = 0;
  for (let at = 0, turn = 0; at < cells.length; at += BATCH, turn++) {
    const batch = cells.slice(at, at + BATCH);
    const runs = [
      () => {
        const t = performance.now();
        sCheck += servicePass(cipher, batch);
        sMs += performance.now() - t;
      },
      () => {
        const t = performance.now();
        rCheck += rawPass(rawKey, batch);
        rMs += performance.now() - t;
      },
    ];
    runs[turn % 2]!();
    runs[(turn + 1) % 2]!();
  }
  if (sCheck !== bytes || rCheck !== bytes) {
    throw new Error('round trip lost bytes');
  }
  const perSec = (ms: number): string => `${Math.round(cells.length / (ms / 1000)).toLocaleString('en')} values/s`;
  console.log(`service encrypt+decrypt (text)  : ${sMs.toFixed(0)} ms = ${perSec(sMs)}`);
  console.log(`raw AES-256-GCM                 : ${rMs.toFixed(0)} ms = ${perSec(rMs)}`);
  console.log(`throughput ratio service/raw = ${(rMs / sMs).toFixed(2)}x (goal >= 0.70)`);

  // 100,000 DEKs under the workspace KEK, stored as the service stores them.
  const n = 100_000;
  const seed = performance.now();
  await instance.storage.transaction(async (repos) => {
    const kek = await rt.keys.ensureWorkspace(repos, 'wsb');
    const at = new Date().toISOString();
    const records = [];
    for (let i = 0; i < n; i++) {
      const created = createChildKey(kek, dataKeyLabel('dataset-dek', `d${i}`, 1));
      records.push({
        workspace: 'wsb', keyId: created.key.id, version: 1, purpose: 'dataset-dek', parentId: kek.id, parentVersion: kek.version,
        wrapped: created.wrapped.toString('base64url'), state: 'active' as const, createdAt: at, retiredAt: null, destroyedAt: null, invocations: 0,
      });
    }
    await repos.keys.insertVersions(records);
  });
  console.log(`seeded ${n.toLocaleString('en')} wrapped DEKs in ${((performance.now() - seed) / 1000).toFixed(1)} s`);
  // Reference in the same run: the same number of re-wraps in memory only (the crypto floor on this machine now).
  const refKek = generateKey({ id: 'wsk.ref', purpose: 'workspace-kek', version: 1 });
  const refNew = generateKey({ id: 'wsk.ref', purpose: 'workspace-kek', version: 2 });
  const refLabels = Array.from({ length: n }, (_, i) => dataKeyLabel('dataset-dek', `d${i}`, 1));
  const refWrapped = refLabels.map((l) => wrapKey(refKek, generateKey(l)));
  const r0 = performance.now();
  refWrapped.forEach((w, i) => rewrapKey(refKek, refNew, w, refLabels[i]!));
  console.log(`reference: ${n.toLocaleString('en')} re-wraps in memory only: ${((performance.now() - r0) / 1000).toFixed(2)} s`);
  const t = performance.now();
  const report = await rotateWorkspace(rt.keys, instance.storage, instance.audit, 'wsb', { purposes: [] });
  const s = (performance.now() - t) / 1000;
  console.log(
    `rotate KEK + rewrap ${report.rewrapped.toLocaleString('en')} DEKs in SQLite (local provider): ${s.toFixed(2)} s ` +
      `(${Math.round(report.rewrapped / s).toLocaleString('en')} keys/s; goal < 10 s); old KEK versions destroyed: ${report.destroyedKekVersions}`,
  );
  await rt.close();
  await instance.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
