import type { HavenConfig } from '../../../config/schema.js';
import type { AuditVerifyReport } from '../../audit/audit-service.js';
import type { AuditCheckpoint, Clock, Storage } from '../../ports.js';
import type { PostureFacts } from '../posture-checks.js';

/** What the root keystore file says, read without opening the root key (no passphrase or PIN needed). */
export interface KeystoreSummary {
  readonly state: 'present' | 'absent' | 'invalid';
  readonly provider: 'local' | 'pkcs11' | null;
  readonly rootVersion: number | null;
  /** A reason code when invalid (e.g. `permissions`, `json`, `format`), else null. */
  readonly problem: string | null;
}

/**
 * Port: where the evidence comes from. The composition root wires it to a live instance
 * (src/composition/evidence-sources.ts); tests use the same wiring on real stores.
 */
export interface EvidenceSources {
  readonly storage: Storage;
  readonly config: HavenConfig;
  readonly clock: Clock;
  readonly instanceId: string;
  readonly havenVersion: string;
  /** Verify the whole ledger (chain, checkpoints, mirror). */
  verifyLedger(): Promise<AuditVerifyReport>;
  /** The data directory facts `haven doctor` judges. */
  postureFacts(now: Date): PostureFacts;
  /** The root keystore, summarised. */
  keystore(): KeystoreSummary;
  /** The checkpoint mirrored outside the database, if any. */
  mirroredCheckpoint(): AuditCheckpoint | undefined;
}
