/**
 * Micro-benchmark of the crypto library (run compiled):
 *   npx tsc -p tsconfig.build.json && node dist/bench/crypto/bench-field-cipher.js
 *
 * 1. Field encrypt+decrypt throughput vs raw node:crypto AES-256-GCM on the same values in the same
 *    run (goal: ratio >= 0.7). Values are the cells of /work/shared/data/los-10k.csv (read from
 *    ../shared relative to the repo root), falling back to synthetic values when absent.
 * 2. Re-wrapping 100,000 DEKs under a new KEK version (goal: < 10 s).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { nonceRandom } from '../../src/libs/crypto/aead-core.js';
import { decryptField, encryptField } from '../../src/libs/crypto/field-cipher.js';
import type { CellRef, FieldKey } from '../../src/libs/crypto/field-cipher.js';
import { dataKeyLabel, generateKey, rewrapKey, unwrapKey, wrapKey } from '../../src/libs/crypto/key-wrap.js';
import type { ManagedKey } from '../../src/libs/crypto/key-wrap.js';

interface Cell {
  readonly ref: CellRef;
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
      values.forEach((v, i) => cells.push({ ref: { workspace: 'ws1', dataset: 'los', column: columns[i]!, recordId: values[eidAt]! }, value: Buffer.from(v) }));
    }
    return { cells, source: `${path} (${rows.length} rows x ${columns.length} columns)` };
  }
  for (let r = 0; r < 10_000; r++) {
    for (let c = 0; c < 31; c++) {
      cells.push({ ref: { workspace: 'ws1', dataset: 'los', column: `c${c}`, recordId: String(r) }, value: Buffer.from(`${r * 31 + c}.5`) });
    }
  }
  return { cells, source: 'synthetic (los-10k.csv not found)' };
}

function fieldPass(key: FieldKey, cells: readonly Cell[]): number {
  let check = 0;
  for (const cell of cells) {
    const ct = encryptField(key, cell.ref, cell.value);
    check += decryptField(key, cell.ref, ct).length;
  }
  return check;
}

function rawPass(key: Buffer, cells: readonly Cell[], nonceOf: (n: number) => Uint8Array): number {
  let check = 0;
  for (const cell of cells) {
    const nonce = nonceOf(12);
    const c = createCipheriv('aes-256-gcm', key, nonce);
    const ct = Buffer.concat([c.update(cell.value), c.final()]);
    const tag = c.getAuthTag();
    const d = createDecipheriv('aes-256-gcm', key, nonce);
    d.setAuthTag(tag);
    check += Buffer.concat([d.update(ct), d.final()]).length;
  }
  return check;
}

function time(fn: () => number): { ms: number; check: number } {
  const t = performance.now();
  const check = fn();
  return { ms: performance.now() - t, check };
}

function benchField(): void {
  const { cells, source } = loadCells();
  const bytes = cells.reduce((n, c) => n + c.value.length, 0);
  const key: FieldKey = { id: 'ds.los', version: 1, key: randomBytes(32) };
  console.log(`values: ${cells.length} cells, ${bytes} plaintext bytes, from ${source}`);
  const rawKey = Buffer.from(key.key);
  const perCall = (n: number): Uint8Array => randomBytes(n);
  fieldPass(key, cells.slice(0, 20_000));
  rawPass(rawKey, cells.slice(0, 20_000), perCall);
  // Interleave the variants in small batches (rotating their order) so that all of them see the
  // same machine load: on a shared machine, whole-pass timings drift by more than the effect measured.
  const BATCH = 5_000;
  let fMs = 0;
  let rMs = 0;
  let pMs = 0;
  const checks = [0, 0, 0];
  for (let at = 0, turn = 0; at < cells.length; at += BATCH, turn++) {
    const batch = cells.slice(at, at + BATCH);
    const runs = [
      () => { const t = time(() => fieldPass(key, batch)); fMs += t.ms; checks[0]! += t.check; },
      () => { const t = time(() => rawPass(rawKey, batch, perCall)); rMs += t.ms; checks[1]! += t.check; },
      () => { const t = time(() => rawPass(rawKey, batch, nonceRandom)); pMs += t.ms; checks[2]! += t.check; },
    ];
    for (let i = 0; i < runs.length; i++) {
      runs[(i + turn) % runs.length]!();
    }
  }
  if (checks.some((c) => c !== bytes)) {
    throw new Error('round trip lost bytes');
  }
  const perSec = (ms: number): string => `${Math.round(cells.length / (ms / 1000)).toLocaleString('en')} values/s`;
  console.log(`field encrypt+decrypt            : ${fMs.toFixed(0)} ms = ${perSec(fMs)}`);
  console.log(`raw AES-256-GCM, randomBytes(12) : ${rMs.toFixed(0)} ms = ${perSec(rMs)}`);
  console.log(`raw AES-256-GCM, pooled nonces   : ${pMs.toFixed(0)} ms = ${perSec(pMs)}`);
  console.log(`throughput ratio field/raw = ${(rMs / fMs).toFixed(2)}x (goal >= 0.70)`);
  console.log(`throughput ratio field/raw with the same nonce pool = ${(pMs / fMs).toFixed(2)}x (format + AAD + checks overhead alone)`);
}

function benchRewrap(): void {
  const n = 100_000;
  const oldKek: ManagedKey = generateKey({ id: 'wsk.ws1', purpose: 'workspace-kek', version: 1 });
  const newKek: ManagedKey = generateKey({ id: 'wsk.ws1', purpose: 'workspace-kek', version: 2 });
  const labels = Array.from({ length: n }, (_, i) => dataKeyLabel('dataset-dek', `d${i}`, 1));
  const wrapped = labels.map((label) => wrapKey(oldKek, generateKey(label)));
  const t = performance.now();
  const moved = wrapped.map((w, i) => rewrapKey(oldKek, newKek, w, labels[i]!));
  const ms = performance.now() - t;
  unwrapKey(newKek, moved[n - 1]!, labels[n - 1]!); // throws if the last re-wrap is wrong
  console.log(`rewrap ${n.toLocaleString('en')} DEKs under a new KEK: ${(ms / 1000).toFixed(2)} s (${Math.round(n / (ms / 1000)).toLocaleString('en')} keys/s; goal < 10 s)`);
}

benchField();
benchRewrap();
