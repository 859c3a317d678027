import type { Generated } from 'kysely';

/** Rows of the audit ledger: append-only, hash-chained. */
export interface AuditLogTable {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  resource: string;
  outcome: string;
  request_id: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** The single row holding the ledger head; updating it first serialises appenders on both databases. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** Signed checkpoints of the ledger head. */
export interface AuditCheckpointTable {
  seq: number;
  hash: string;
  ts: string;
  key_id: string;
  signature: string;
}

/** API tokens: only the SHA-256 of the token is stored. */
export interface ApiTokenTable {
  id: string;
  token_hash: string;
  name: string;
  subject: string;
  roles: string;
  workspace: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** Instance metadata (key/value). */
export interface InstanceMetaTable {
  key: string;
  value: string;
  id: Generated<number>;
}

/** The whole schema as Kysely sees it. */
export interface HavenDatabase {
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_checkpoint: AuditCheckpointTable;
  api_token: ApiTokenTable;
}
