import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signCheckpointsWithHierarchy } from '../../src/composition/audit-signer.js';
import { openInstance } from '../../src/composition/open-instance.js';
import { canonicalJson } from '../../src/libs/crypto/canonical-json.js';
import { verifySignature } from '../../src/libs/crypto/signing.js';
import { SigningKeys } from '../../src/services/keys/signing-keys.js';
import type { AuditService } from '../../src/services/audit/audit-service.js';
import type { Storage } from '../../src/services/ports.js';
import { CLI, haven } from '../helpers/cli.js';
import { rawSql } from '../helpers/raw-sql.js';
import { testStores } from '../helpers/stores.js';
import { createTestInstance } from '../helpers/test-instance.js';

async function events(storage: Storage, audit: AuditService, n: number, tag: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    await audit.record(storage, { actor: 'tester', action: 'test.event', resource: `${tag}:${i}`, outcome: 'success', requestId: tag });
  }
}

for (const store of testStores()) {
  describe(`audit checkpoints signed by the key hierarchy [${store.name}]`, () => {
    afterAll(() => store.cleanup());

    it(
      'signs checkpoints with the hierarchy audit key once unlocked; earlier data-directory checkpoints and rotated keys still verify, offline too',
      { timeout: 120_000 },
      async () => {
        expect(existsSync(CLI), 'build first: npx tsc -p tsconfig.json (npm test does)').toBe(true);
        const t = await createTestInstance(store, { withKeys: true, config: { audit: { checkpointInterval: 5 } } });
        try {
          const { storage, audit } = t.instance;
          const dataDirKeyId = audit.signingKeyId;
          await events(storage, audit, 6, 'before');

          const rt = await t.instance.keys();
          const hierarchyKeyId = audit.signingKeyId;
          expect(hierarchyKeyId).not.toBe(dataDirKeyId);
          // Published beside the data directory's public keys, before any checkpoint named it.
          const pem = readFileSync(join(t.dataDir, 'keys/audit-public', `${hierarchyKeyId}.pem`), 'utf8');
          const published = await storage.read.keys.signingKeys('audit');
          expect(published.map((k) => k.publicPem)).toEqual([pem]);
          await events(storage, audit, 12, 'after');
          await audit.checkpointNow(storage);

          const cps = await storage.read.audit.checkpoints();
          expect(new Set(cps.map((c) => c.keyId))).toEqual(new Set([dataDirKeyId, hierarchyKeyId]));
          // A hierarchy checkpoint verifies under the hierarchy's own public key (signing_key table), not by chance.
          const pub = (await new SigningKeys(rt.keys).publicKeys(storage, 'audit')).get(published[0]!.keyId)!;
          const last = cps.at(-1)!;
          expect(last.keyId).toBe(hierarchyKeyId);
          const message = Buffer.from(canonicalJson({ seq: last.seq, hash: last.hash, ts: last.ts, keyId: last.keyId }));
          expect(verifySignature(pub, message, Buffer.from(last.signature, 'base64'))).toBe(true);
          expect(JSON.parse(readFileSync(join(t.dataDir, 'audit/checkpoint.json'), 'utf8'))).toMatchObject({ seq: last.seq, keyId: hierarchyKeyId });
          expect(await audit.verify(storage)).toMatchObject({ ok: true });

          // Rotating the hierarchy's audit key: new checkpoints use the new key, all older ones still verify.
          await new SigningKeys(rt.keys).rotate(storage, audit, 'audit');
          const rotatedKeyId = await signCheckpointsWithHierarchy(t.dataDir, storage, audit, rt.keys);
          expect(rotatedKeyId).not.toBe(hierarchyKeyId);
          await events(storage, audit, 6, 'rotated');
          await audit.checkpointNow(storage);
          expect(new Set((await storage.read.audit.checkpoints()).map((c) => c.keyId))).toEqual(new Set([dataDirKeyId, hierarchyKeyId, rotatedKeyId]));
          expect(await audit.verify(storage)).toMatchObject({ ok: true });

          // Offline: another process without the passphrase verifies everything from the data directory alone.
          const offline = await haven(['audit', 'verify', '--data-dir', t.dataDir]);
          expect(offline.code, offline.stderr).toBe(0);
          expect(offline.stdout).toMatch(/^audit ledger OK: \d+ entries, \d+ signed checkpoints/);
          const reopened = await openInstance(t.dataDir, { env: {} });
          try {
            expect(reopened.audit.signingKeyId).toBe(dataDirKeyId); // locked hierarchy: the data-directory key signs
            expect(await reopened.audit.verify(reopened.storage)).toMatchObject({ ok: true });
          } finally {
            await reopened.close();
          }

          // Offline verification trusts only keys published in the data directory: without the file it refuses.
          const published2 = join(t.dataDir, 'keys/audit-public', `${rotatedKeyId}.pem`);
          renameSync(published2, join(t.dataDir, 'moved-away.pem'));
          const withoutKey = await haven(['audit', 'verify', '--data-dir', t.dataDir]);
          expect(withoutKey.code).not.toBe(0);
          expect(withoutKey.stderr).toContain('checkpoint_signature');
          renameSync(join(t.dataDir, 'moved-away.pem'), published2);

          // A forged signature on a hierarchy checkpoint is caught.
          await rawSql(t, [`update audit_checkpoint set signature = 'AAAA' || substr(signature, 5) where key_id = '${hierarchyKeyId}'`]);
          expect(await audit.verify(storage)).toMatchObject({ ok: false, firstBad: { fault: 'checkpoint_signature' } });
          const forged = await haven(['audit', 'verify', '--data-dir', t.dataDir]);
          expect(forged.code).not.toBe(0);
          expect(forged.stderr).toContain('HAVEN_AUDIT_CHAIN_BROKEN');
        } finally {
          await t.cleanup();
        }
      },
    );
  });
}
