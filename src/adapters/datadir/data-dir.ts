import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { HavenError } from '../../errors/haven-error.js';
import type { AuditCheckpoint, CheckpointMirror } from '../../services/ports.js';
import type { AuditKeys } from '../../services/audit/audit-service.js';

/** Files inside a data directory, relative to it. */
export const DATA_DIR_LAYOUT = {
  config: 'haven.json',
  instance: 'instance.json',
  tlsCa: 'tls/ca.pem',
  tlsCert: 'tls/cert.pem',
  tlsKey: 'tls/key.pem',
  ledgerMacKey: 'keys/ledger-mac.key',
  auditSigningKey: 'keys/audit-signing.key',
  auditPublicKeys: 'keys/audit-public',
  identityKey: 'keys/identity.key',
  checkpointMirror: 'audit/checkpoint.json',
} as const;

/** Files that must exist for a data directory to be usable. */
export const REQUIRED_FILES = [DATA_DIR_LAYOUT.config, DATA_DIR_LAYOUT.instance, DATA_DIR_LAYOUT.ledgerMacKey, DATA_DIR_LAYOUT.auditSigningKey, DATA_DIR_LAYOUT.identityKey] as const;

/**
 * Write a file atomically with owner-only permissions (write to a temporary name, then rename).
 * @param path - destination
 * @param content - bytes or text
 */
export function writePrivateFile(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Resolve a path from configuration relative to the data directory. */
export function resolveInDataDir(dataDir: string, path: string): string {
  return isAbsolute(path) ? path : join(dataDir, path);
}

/**
 * Create an empty data directory with owner-only permissions. Refuses a non-empty existing directory unless `force`.
 * @param dataDir - the directory
 * @param force - remove existing contents first
 */
export function createDataDir(dataDir: string, force: boolean): void {
  if (existsSync(dataDir)) {
    const entries = readdirSync(dataDir);
    if (entries.length > 0 && !force) {
      throw new HavenError('HAVEN_DATADIR_EXISTS');
    }
    for (const entry of entries) {
      rmSync(join(dataDir, entry), { recursive: true, force: true });
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  for (const sub of ['tls', 'keys', 'keys/audit-public', 'audit']) {
    mkdirSync(join(dataDir, sub), { mode: 0o700 });
  }
}

/** The key id of an Ed25519 public key: the first 16 hex digits of SHA-256 of its raw bytes. */
export function keyIdOf(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/**
 * Generate the instance keys into the data directory: the ledger MAC key, the audit signing key pair and the
 * identity key that seals MFA secrets. Public keys are kept by key id so old checkpoints verify after rotation.
 * @param dataDir - the data directory
 */
export function generateInstanceKeys(dataDir: string): void {
  writePrivateFile(join(dataDir, DATA_DIR_LAYOUT.ledgerMacKey), randomBytes(32).toString('base64'));
  writePrivateFile(join(dataDir, DATA_DIR_LAYOUT.identityKey), randomBytes(32).toString('base64'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writePrivateFile(join(dataDir, DATA_DIR_LAYOUT.auditSigningKey), privateKey.export({ format: 'pem', type: 'pkcs8' }));
  writePrivateFile(join(dataDir, DATA_DIR_LAYOUT.auditPublicKeys, `${keyIdOf(publicKey)}.pem`), publicKey.export({ format: 'pem', type: 'spki' }));
}

/**
 * Check that a data directory has been initialised and nothing required is missing.
 * @param dataDir - the data directory
 */
export function assertDataDir(dataDir: string): void {
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory() || !existsSync(join(dataDir, DATA_DIR_LAYOUT.config))) {
    throw new HavenError('HAVEN_DATADIR_MISSING', 'data directory does not exist or is not initialised (run haven init)');
  }
  const missing = REQUIRED_FILES.filter((f) => !existsSync(join(dataDir, f)));
  if (missing.length > 0) {
    throw new HavenError('HAVEN_DATADIR_CORRUPT', `data directory is missing: ${missing.join(', ')}`);
  }
}

/**
 * Load the ledger keys. `withSigningKey` false loads only what verification needs (public keys and the MAC key).
 * @param dataDir - the data directory
 */
export function loadAuditKeys(dataDir: string): AuditKeys {
  try {
    const macKey = Buffer.from(readFileSync(join(dataDir, DATA_DIR_LAYOUT.ledgerMacKey), 'utf8').trim(), 'base64');
    if (macKey.length !== 32) {
      throw new Error('bad MAC key length');
    }
    const signingKey = createPrivateKey(readFileSync(join(dataDir, DATA_DIR_LAYOUT.auditSigningKey)));
    const publicKeys = new Map<string, KeyObject>();
    const dir = join(dataDir, DATA_DIR_LAYOUT.auditPublicKeys);
    for (const f of readdirSync(dir)) {
      const key = createPublicKey(readFileSync(join(dir, f)));
      publicKeys.set(keyIdOf(key), key);
    }
    const signingKeyId = keyIdOf(createPublicKey(signingKey));
    if (!publicKeys.has(signingKeyId)) {
      throw new Error('signing key has no published public key');
    }
    return { macKey, signingKey, publicKeys, signingKeyId };
  } catch (cause) {
    throw new HavenError('HAVEN_DATADIR_CORRUPT', 'audit keys in the data directory are missing or damaged', { cause });
  }
}

/**
 * The checkpoint mirror as a file in the data directory.
 * @param dataDir - the data directory
 */
export function fileCheckpointMirror(dataDir: string): CheckpointMirror {
  const path = join(dataDir, DATA_DIR_LAYOUT.checkpointMirror);
  return {
    write(c: AuditCheckpoint) {
      writePrivateFile(path, JSON.stringify(c));
    },
    read() {
      if (!existsSync(path)) {
        return undefined;
      }
      try {
        return JSON.parse(readFileSync(path, 'utf8')) as AuditCheckpoint;
      } catch (cause) {
        throw new HavenError('HAVEN_DATADIR_CORRUPT', 'audit checkpoint mirror is damaged', { cause });
      }
    },
  };
}

/**
 * Check only that the directory exists (doctor inspects incomplete directories too).
 * @param dataDir - the data directory
 */
export function assertDataDirExists(dataDir: string): void {
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    throw new HavenError('HAVEN_DATADIR_MISSING');
  }
}

/**
 * Load the identity key that seals per-user secrets (TOTP seeds).
 * @param dataDir - the data directory
 */
export function loadIdentityKey(dataDir: string): { id: string; version: number; key: Buffer } {
  try {
    const key = Buffer.from(readFileSync(join(dataDir, DATA_DIR_LAYOUT.identityKey), 'utf8').trim(), 'base64');
    if (key.length !== 32) {
      throw new Error('bad identity key length');
    }
    return { id: 'identity', version: 1, key };
  } catch (cause) {
    throw new HavenError('HAVEN_DATADIR_CORRUPT', 'identity key in the data directory is missing or damaged', { cause });
  }
}

/**
 * The instance id recorded by init (for alerts and reports).
 * @param dataDir - the data directory
 */
export function instanceIdOf(dataDir: string): string {
  try {
    return (JSON.parse(readFileSync(join(dataDir, DATA_DIR_LAYOUT.instance), 'utf8')) as { instanceId?: string }).instanceId ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
