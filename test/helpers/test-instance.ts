import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { initInstance } from '../../src/composition/init-instance.js';
import { openInstance, type Instance } from '../../src/composition/open-instance.js';
import { buildApp } from '../../src/faces/server/app.js';
import { createPersona } from './personas.js';
import type { TestStore } from './stores.js';

/** The root-key passphrase of test instances created `withKeys`. */
export const TEST_ROOT_PASSPHRASE = 'test root passphrase, long enough 7';

/** A fresh instance on a store, with a ready site admin + auditor token. */
export interface TestInstance {
  readonly dataDir: string;
  readonly instance: Instance;
  /** Token of `ops`, a fully enrolled user holding the site admin and auditor roles. */
  readonly token: string;
  /** Close the instance and remove its data directory. */
  cleanup(): Promise<void>;
}

/** Options for a test instance. */
export interface TestInstanceOptions {
  /** Extra haven.json values (merged over the test defaults). */
  readonly config?: Record<string, Record<string, unknown>>;
  /** Set up the key hierarchy (local keystore, test passphrase) so encryption services work. */
  readonly withKeys?: boolean;
}

/**
 * Initialise a data directory in a temporary folder on the given store, with test-friendly defaults:
 * rate limits off and logs silent (the rate-limit and logging tests turn them back on).
 * @param store - the database to run on
 * @param opts - extra configuration
 */
export async function createTestInstance(store: TestStore, opts: TestInstanceOptions = {}): Promise<TestInstance> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'haven-test-')), 'data');
  const base: Record<string, Record<string, unknown>> = {
    server: { rateLimitPerMinute: 0 },
    log: { level: 'silent' },
    // Cheap password hashing keeps the suite fast; production floors are checked by haven doctor.
    identity: { passwordHashMemoryKiB: 1024, passwordHashIterations: 1 },
    ...store.config(),
  };
  for (const [section, values] of Object.entries(opts.config ?? {})) {
    base[section] = { ...base[section], ...values };
  }
  const env = opts.withKeys ? { HAVEN_ROOT_PASSPHRASE: TEST_ROOT_PASSPHRASE } : {};
  await initInstance(dataDir, { config: base, env, keys: opts.withKeys ? { scryptParams: { N: 2 ** 15, r: 8, p: 1 } } : false });
  const instance = await openInstance(dataDir, { env });
  const ops = await createPersona(instance, 'ops', { globalRoles: ['site_admin', 'auditor'] });
  return {
    dataDir,
    instance,
    token: ops.token,
    async cleanup() {
      await instance.close();
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    },
  };
}

/**
 * Build the app (not listening) for inject() tests.
 * @param t - the test instance
 */
export function buildTestApp(t: TestInstance): Promise<FastifyInstance> {
  return buildApp(t.instance, undefined);
}
