import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import graphene from 'graphene-pk11';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKeys, setUpKeysAtInit } from '../../src/composition/keys-setup.js';
import { openPkcs11Root } from '../../src/adapters/keys/pkcs11-root-provider.js';
import { generateKey, workspaceKekLabel } from '../../src/libs/crypto/key-wrap.js';
import { testStores } from '../helpers/stores.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so';
const PIN = '246810';

// SoftHSM2 reads its token directory from SOFTHSM2_CONF when the module is first initialised in this process,
// so the temporary configuration is set before any test loads the module.
const tokenRoot = mkdtempSync(join(tmpdir(), 'haven-softhsm-'));
mkdirSync(join(tokenRoot, 'tokens'));
writeFileSync(join(tokenRoot, 'softhsm2.conf'), `directories.tokendir = ${join(tokenRoot, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
process.env.SOFTHSM2_CONF = join(tokenRoot, 'softhsm2.conf');

describe.skipIf(!existsSync(SOFTHSM))('PKCS#11 root key in SoftHSM2', () => {
  const tokenLabel = 'haven-test';
  beforeAll(() => {
    execFileSync('softhsm2-util', ['--init-token', '--free', '--label', tokenLabel, '--pin', PIN, '--so-pin', '13579111'], {
      env: { ...process.env, SOFTHSM2_CONF: join(tokenRoot, 'softhsm2.conf') },
      stdio: 'ignore',
    });
  });
  afterAll(() => rmSync(tokenRoot, { recursive: true, force: true }));

  for (const store of testStores()) {
    describe(`[${store.name}]`, () => {
      let t: TestInstance;
      afterAll(async () => {
        await t?.cleanup();
        await store.cleanup();
      });

      it('generates a non-extractable root in the token and wraps workspace KEKs inside it', async () => {
        t = await createTestInstance(store);
        const keyLabel = `haven-root-${store.name}`;
        const env = { HAVEN_PKCS11_PIN: PIN };
        await setUpKeysAtInit(t.dataDir, t.instance.storage, env, { provider: 'pkcs11', pkcs11: { library: SOFTHSM, tokenLabel, keyLabel } });
        const keystore = readFileSync(join(t.dataDir, 'keys/root-keystore.json'), 'utf8');
        expect(JSON.parse(keystore)).toMatchObject({ provider: 'pkcs11', pkcs11: { tokenLabel, keyLabel } });
        expect(keystore).not.toContain(PIN);

        const rt = await openKeys(t.dataDir, t.instance.storage, t.instance.clock, env);
        try {
          expect(rt.keys.root.kind).toBe('pkcs11');
          await rt.vault.protect(t.instance.storage, 'ws1', 'visits', [{ column: 'Last', recordId: '1', value: 'Lovelace' }]);
          expect((await rt.vault.reveal(t.instance.storage, 'ws1', 'visits', 'Last', '1'))?.toString()).toBe('Lovelace');
        } finally {
          await rt.close();
        }
        // A second process-lifetime open (fresh cache) unwraps the KEK through the token again.
        const again = await openKeys(t.dataDir, t.instance.storage, t.instance.clock, env);
        try {
          expect((await again.vault.reveal(t.instance.storage, 'ws1', 'visits', 'Last', '1'))?.toString()).toBe('Lovelace');
        } finally {
          await again.close();
        }
      });

      it('refuses tampered wrapped keys, wrong labels and a wrong PIN', async () => {
        const keystore = JSON.parse(readFileSync(join(t.dataDir, 'keys/root-keystore.json'), 'utf8')) as Parameters<typeof openPkcs11Root>[0];
        const root = openPkcs11Root(keystore, PIN);
        try {
          const kek = generateKey(workspaceKekLabel('wsx', 1));
          const wrapped = await root.wrap(kek);
          expect(wrapped.includes(Buffer.from(kek.key))).toBe(false);
          expect(Buffer.from((await root.unwrap(wrapped, workspaceKekLabel('wsx', 1))).key)).toEqual(Buffer.from(kek.key));
          await expect(root.unwrap(wrapped, workspaceKekLabel('wsy', 1))).rejects.toMatchObject({ code: 'HAVEN_CRYPTO_DECRYPT_FAILED' });
          await expect(root.unwrap(wrapped, workspaceKekLabel('wsx', 2))).rejects.toMatchObject({ code: 'HAVEN_CRYPTO_DECRYPT_FAILED' });
          const bad = Buffer.from(wrapped);
          bad[20] = bad[20]! ^ 1;
          await expect(root.unwrap(bad, workspaceKekLabel('wsx', 1))).rejects.toMatchObject({ code: 'HAVEN_CRYPTO_DECRYPT_FAILED' });
        } finally {
          await root.close();
        }
        // The root key in the token is sensitive and non-extractable: its value cannot be read out.
        const module = graphene.Module.load(SOFTHSM, 'check');
        module.initialize();
        const slots = module.getSlots(true);
        let checked = 0;
        for (let i = 0; i < slots.length; i++) {
          const slot = slots.items(i);
          if (slot.getToken().label.trim() !== tokenLabel) {
            continue;
          }
          const session = slot.open(graphene.SessionFlag.SERIAL_SESSION);
          session.login(PIN);
          const found = session.find({ class: graphene.ObjectClass.SECRET_KEY, label: keystore.pkcs11.keyLabel });
          const key = found.items(0).toType<graphene.SecretKey>();
          expect(key.extractable).toBe(false);
          expect(key.sensitive).toBe(true);
          expect(() => key.getAttribute({ value: null })).toThrow();
          session.logout();
          session.close();
          checked++;
        }
        expect(checked).toBe(1);
        expect(() => openPkcs11Root(keystore, '000000')).toThrow(expect.objectContaining({ code: 'HAVEN_KEYS_PROVIDER_UNAVAILABLE' }));
        expect(() => openPkcs11Root({ ...keystore, pkcs11: { ...keystore.pkcs11, keyLabel: 'nope' } }, PIN)).toThrow(
          expect.objectContaining({ code: 'HAVEN_KEYS_PROVIDER_KEY_MISSING' }),
        );
      });
    });
  }
});
