import type { SessionRepository, ThrottleRepository, UserRepository, WorkspaceRepository } from './identity/identity-ports.js';
import type { SsoRepository } from './identity/oidc-ports.js';
import type { WebauthnRepository } from './identity/webauthn-ports.js';
import type { KeyRepository } from './keys/key-repository-port.js';

export type * from './keys/key-repository-port.js';

import type { DatasetRepository } from './ingest/ingest-ports.js';
import type { EncounterRepository } from './encounters/encounter-ports.js';
import type { ModelRepository } from './models/model-ports.js';
import type { PrivacyLedgerRepository } from './models/privacy-ledger-ports.js';
import type { ScreenRepository } from './ingest/screen-ports.js';
import type { ReportRepository } from './reports/report-ports.js';

/**
 * Ports: the interfaces services need from the outside world. Adapters implement them
 * (adapters/store for SQLite and PostgreSQL, adapters/datadir for files); services never import drivers.
 */

/** The time source. Injected so tests control time. */
export interface Clock {
  now(): Date;
}

/** Safe audit detail: ids, counts and codes, never cell values, secrets or PHI. */
export type AuditDetail = Readonly<Record<string, string | number | boolean>>;

/** What happened, as the ledger records it. */
export interface AuditEvent {
  readonly actor: string;
  readonly action: string;
  readonly resource: string;
  readonly outcome: 'success' | 'failure' | 'denied';
  readonly requestId: string;
  readonly detail?: AuditDetail;
}

/** A ledger entry as stored. */
export interface AuditEntry extends AuditEvent {
  readonly seq: number;
  readonly ts: string;
  readonly detail: AuditDetail;
  readonly prevHash: string;
  readonly hash: string;
}

/** A signed statement of the ledger head at some sequence number. */
export interface AuditCheckpoint {
  readonly seq: number;
  readonly hash: string;
  readonly ts: string;
  readonly keyId: string;
  readonly signature: string;
}

/** Storage of the ledger. `lockHead` must serialise concurrent appenders until the transaction ends. */
export interface AuditRepository {
  lockHead(): Promise<{ seq: number; hash: string }>;
  insert(entry: AuditEntry): Promise<void>;
  setHead(seq: number, hash: string): Promise<void>;
  insertCheckpoint(checkpoint: AuditCheckpoint): Promise<void>;
  /** Entries with seq > afterSeq in ascending order, at most `limit`. */
  page(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  checkpoints(): Promise<AuditCheckpoint[]>;
  head(): Promise<{ seq: number; hash: string }>;
}

/** A stored API token (only its hash). */
export interface ApiTokenRecord {
  readonly id: string;
  readonly tokenHash: string;
  readonly name: string;
  readonly subject: string;
  readonly roles: readonly string[];
  readonly workspace: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
  /** Permissions the token is limited to (null: the subject's roles, unrestricted — only the bootstrap token). */
  readonly scopes: readonly string[] | null;
  /** When the subject last passed MFA before this token was issued (step-up checks use it). */
  readonly mfaAt: string | null;
}

/** Storage of API tokens. */
export interface TokenRepository {
  insert(token: ApiTokenRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  touch(id: string, at: string): Promise<void>;
  listFor(subject: string): Promise<ApiTokenRecord[]>;
  revoke(id: string, subject: string | null, at: string): Promise<number>;
}

/** The repositories available inside one transaction. */
export interface Repositories {
  readonly audit: AuditRepository;
  readonly tokens: TokenRepository;
  readonly users: UserRepository;
  readonly workspaces: WorkspaceRepository;
  readonly sessions: SessionRepository;
  readonly throttle: ThrottleRepository;
  readonly datasets: DatasetRepository;
  readonly encounters: EncounterRepository;
  readonly models: ModelRepository;
  readonly privacyLedgers: PrivacyLedgerRepository;
  readonly reports: ReportRepository;
  readonly screens: ScreenRepository;
  readonly keys: KeyRepository;
  readonly sso: SsoRepository;
  readonly webauthn: WebauthnRepository;
  /** Run `fn` after the surrounding transaction commits (no-op outside a transaction: runs at once). */
  afterCommit(fn: () => void): void;
}

/** The database, as services see it. */
export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  /** Run `fn` in one transaction; everything it writes commits or rolls back together. */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  /** Non-transactional reads. */
  readonly read: Repositories;
  close(): Promise<void>;
}

/** Keeps a copy of the latest signed checkpoint outside the database, so truncating the ledger is detected. */
export interface CheckpointMirror {
  write(checkpoint: AuditCheckpoint): void;
  read(): AuditCheckpoint | undefined;
}

/** A security alert for operators (lockouts, …): reason codes and counts only, never names, secrets or PHI. */
export interface SecurityAlert {
  readonly reason: string;
  readonly subjectKind: 'account' | 'client-address';
  readonly at: string;
  readonly detail: AuditDetail;
}

/** Where security alerts go besides the ledger (a webhook, a pager). Delivery never blocks or fails the caller. */
export interface AlertSink {
  send(alert: SecurityAlert): void;
}
