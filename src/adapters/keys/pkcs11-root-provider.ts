import { randomBytes } from 'node:crypto';
import graphene from 'graphene-pk11';
import { HavenError } from '../../errors/haven-error.js';
import { canonicalEncode, decryptFailed } from '../../libs/crypto/aead-core.js';
import { mayWrap } from '../../libs/crypto/key-wrap.js';
import type { KeyLabel, ManagedKey } from '../../libs/crypto/key-wrap.js';
import type { RootKeyProvider } from '../../services/keys/root-key-provider.js';
import type { Keystore, Pkcs11Location } from './keystore-file.js';

/**
 * Root key inside a PKCS#11 token (tested against SoftHSM2): a non-extractable, sensitive AES-256 key generated in
 * the token. Wrapping is CKM_AES_GCM C_Encrypt of the child key inside the token with a fresh 96-bit IV and the
 * child's label as AAD, so the root never leaves the HSM. (SoftHSM2 also offers CKM_AES_KEY_WRAP_PAD, but KWP has
 * no associated data; GCM binds the label as the local provider does.)
 *
 * Wrapped format: version(1) = 0x01 ‖ root version u32 BE ‖ IV(12) ‖ ciphertext(32) ‖ tag(16).
 */

const FORMAT_V1 = 1;
const IV_BYTES = 12;
const WRAPPED_BYTES = 1 + 4 + IV_BYTES + 32 + 16;
const AAD_DOMAIN = 'haven.pkcs11wrap.v1';

// One C_Initialize per library per process: providers share a module and finalize it with the last close.
const modules = new Map<string, { module: graphene.Module; users: number }>();

function acquire(library: string): graphene.Module {
  let entry = modules.get(library);
  if (entry === undefined) {
    let module: graphene.Module;
    try {
      module = graphene.Module.load(library, 'haven-pkcs11');
      module.initialize();
    } catch (cause) {
      throw new HavenError('HAVEN_KEYS_PROVIDER_UNAVAILABLE', 'the PKCS#11 module cannot be loaded', { cause, detail: { provider: 'pkcs11' } });
    }
    entry = { module, users: 0 };
    modules.set(library, entry);
  }
  entry.users++;
  return entry.module;
}

function release(library: string): void {
  const entry = modules.get(library);
  if (entry !== undefined && --entry.users === 0) {
    modules.delete(library);
    entry.module.finalize();
  }
}

function openSession(module: graphene.Module, tokenLabel: string, pin: string): graphene.Session {
  const slots = module.getSlots(true);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots.items(i);
    if (slot.getToken().label.trim() === tokenLabel) {
      const session = slot.open(graphene.SessionFlag.SERIAL_SESSION | graphene.SessionFlag.RW_SESSION);
      try {
        session.login(pin, graphene.UserType.USER);
      } catch (cause) {
        session.close();
        throw new HavenError('HAVEN_KEYS_PROVIDER_UNAVAILABLE', 'PKCS#11 login failed', { cause, detail: { provider: 'pkcs11' } });
      }
      return session;
    }
  }
  throw new HavenError('HAVEN_KEYS_PROVIDER_UNAVAILABLE', 'PKCS#11 token not found', { detail: { provider: 'pkcs11' } });
}

function aadOf(rootVersion: number, label: KeyLabel): Buffer {
  return canonicalEncode([AAD_DOMAIN, FORMAT_V1, 'root', rootVersion, label.id, label.purpose, label.version]);
}

function assertRootChild(label: KeyLabel): void {
  if (!mayWrap('root', label.purpose)) {
    throw new HavenError('HAVEN_CRYPTO_KEY_HIERARCHY', undefined, { detail: { parent: 'root', child: label.purpose } });
  }
}

function providerOf(location: Pkcs11Location, rootVersion: number, session: graphene.Session, key: graphene.SecretKey): RootKeyProvider {
  let open = true;
  const mech = (iv: Buffer, aad: Buffer): graphene.MechanismType => ({ name: 'AES_GCM', params: new graphene.AesGcm240Params(iv, aad, 128) });
  return {
    kind: 'pkcs11',
    rootVersion,
    async wrap(child: ManagedKey) {
      assertRootChild(child);
      const iv = randomBytes(IV_BYTES);
      const sealed = session.createCipher(mech(iv, aadOf(rootVersion, child)), key).once(Buffer.from(child.key), Buffer.alloc(64));
      const head = Buffer.alloc(5);
      head[0] = FORMAT_V1;
      head.writeUInt32BE(rootVersion, 1);
      return Buffer.concat([head, iv, sealed]);
    },
    async unwrap(wrapped: Uint8Array, label: KeyLabel) {
      assertRootChild(label);
      const buf = Buffer.from(wrapped);
      if (buf.length !== WRAPPED_BYTES || buf[0] !== FORMAT_V1 || buf.readUInt32BE(1) !== rootVersion) {
        throw decryptFailed();
      }
      let plain: Buffer;
      try {
        plain = session.createDecipher(mech(buf.subarray(5, 5 + IV_BYTES), aadOf(rootVersion, label)), key).once(buf.subarray(5 + IV_BYTES), Buffer.alloc(64));
      } catch {
        // The token reports a bad tag as a generic error; every failure is the one decryption code.
        throw decryptFailed();
      }
      if (plain.length !== 32) {
        throw decryptFailed();
      }
      return { id: label.id, purpose: label.purpose, version: label.version, key: Buffer.from(plain) };
    },
    async close() {
      if (open) {
        open = false;
        try {
          session.logout();
          session.close();
        } finally {
          release(location.library);
        }
      }
    },
  };
}

function findKey(session: graphene.Session, keyLabel: string): graphene.SecretKey | undefined {
  const found = session.find({ class: graphene.ObjectClass.SECRET_KEY, label: keyLabel });
  return found.length === 1 ? found.items(0).toType<graphene.SecretKey>() : undefined;
}

/**
 * Generate a non-extractable AES-256 root key in the token and return the keystore entry naming it.
 * @param location - module path, token label and key label
 * @param pin - the token user PIN (from the environment, never the config file)
 */
export function createPkcs11Root(location: Pkcs11Location, pin: string): { keystore: Keystore; provider: RootKeyProvider } {
  const module = acquire(location.library);
  let session: graphene.Session | undefined;
  try {
    session = openSession(module, location.tokenLabel, pin);
    if (findKey(session, location.keyLabel) !== undefined) {
      throw new HavenError('HAVEN_KEYS_ALREADY_INITIALISED', 'a key with this label already exists in the token');
    }
    const key = session.generateKey(graphene.KeyGenMechanism.AES, {
      class: graphene.ObjectClass.SECRET_KEY,
      keyType: graphene.KeyType.AES,
      token: true,
      private: true,
      sensitive: true,
      extractable: false,
      valueLen: 32,
      label: location.keyLabel,
      encrypt: true,
      decrypt: true,
      wrap: false,
      unwrap: false,
    });
    const keystore: Keystore = { format: 'haven-keystore', version: 1, provider: 'pkcs11', rootVersion: 1, pkcs11: location };
    return { keystore, provider: providerOf(location, 1, session, key) };
  } catch (err) {
    session?.close();
    release(location.library);
    throw err;
  }
}

/**
 * Open the PKCS#11 provider named by a keystore: log in and find the root key by label.
 * @param keystore - the pkcs11 keystore entry
 * @param pin - the token user PIN
 */
export function openPkcs11Root(keystore: Extract<Keystore, { provider: 'pkcs11' }>, pin: string): RootKeyProvider {
  const module = acquire(keystore.pkcs11.library);
  let session: graphene.Session | undefined;
  try {
    session = openSession(module, keystore.pkcs11.tokenLabel, pin);
    const key = findKey(session, keystore.pkcs11.keyLabel);
    if (key === undefined) {
      throw new HavenError('HAVEN_KEYS_PROVIDER_KEY_MISSING');
    }
    return providerOf(keystore.pkcs11, keystore.rootVersion, session, key);
  } catch (err) {
    session?.close();
    release(keystore.pkcs11.library);
    throw err;
  }
}
