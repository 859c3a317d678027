import type { SsoIdentityTable, SsoLoginTable, WebauthnChallengeTable, WebauthnCredentialTable } from './migrations/0004-sso-webauthn.js';
import type { BlobObjectTable, KeyJobTable, KeyVersionTable, ProtectedFieldTable, SigningKeyTable } from './migrations/0003-keys.js';

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
  scopes: string | null;
  mfa_at: string | null;
}

/** Human accounts. Passwords are argon2id hashes; the TOTP secret is sealed with the instance identity key. */
export interface AppUserTable {
  id: string;
  username: string;
  password_hash: string;
  password_changed_at: string;
  must_change_password: number;
  global_roles: string;
  totp_secret: string | null;
  totp_last_step: number | null;
  mfa_enrolled_at: string | null;
  disabled_at: string | null;
  created_at: string;
}

/** Earlier password hashes, to refuse reuse. */
export interface PasswordHistoryTable {
  user_id: string;
  password_hash: string;
  created_at: string;
}

/** One-time recovery codes (hashes). */
export interface RecoveryCodeTable {
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

/** Research project boundaries. */
export interface WorkspaceTable {
  id: string;
  name: string;
  created_at: string;
  deleted_at: string | null;
}

/** Per-workspace roles of users. */
export interface MembershipTable {
  workspace_id: string;
  user_id: string;
  role: string;
}

/** Browser sessions (only hashes of the session id and CSRF token are stored). */
export interface UserSessionTable {
  id_hash: string;
  user_id: string;
  csrf_hash: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  mfa_at: string | null;
  revoked_at: string | null;
}

/** Failed-login counters per account and per client address. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  first_failure_at: string;
  locked_until: string | null;
}

/** Datasets. */
export interface DatasetTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: string;
}

/** Dataset versions (lineage). JSON columns hold schema, classification and policy. */
export interface DatasetVersionTable {
  id: string;
  dataset_id: string;
  version: number;
  status: string;
  sha256: string | null;
  rows_read: number;
  rows_stored: number;
  rows_quarantined: number;
  header: string | null;
  schema: string | null;
  classification: string | null;
  policy: string | null;
  imported_by: string;
  created_at: string;
  finished_at: string | null;
  published_at: string | null;
  published_by: string | null;
}

/** Stored rows of a version (JSON with encrypted identifiers). */
export interface DatasetRowTable {
  version_id: string;
  row_no: number;
  data: string;
}

/** Quarantined rows (raw text encrypted). */
export interface QuarantineRowTable {
  version_id: string;
  row_no: number;
  line: number;
  reason: string;
  raw: string;
}

/** Admitted encounters (clinician admissions): plain record JSON, names as field ciphertexts, discharge. */
export interface EncounterTable {
  id: string;
  workspace_id: string;
  eid: number | string;
  record: string;
  names: string;
  report: string;
  admitted_by: string;
  admitted_at: string;
  discharged: string | null;
  length_of_stay: number | null;
  discharged_by: string | null;
  discharged_at: string | null;
}

/** A training run (experiment). */
export interface TrainingRunTable {
  id: string;
  workspace_id: string;
  run_no: number;
  dataset_name: string;
  dataset_version: number;
  dataset_sha256: string;
  target: string;
  kind: string;
  params: string;
  seed: number;
  threads: number;
  haven_version: string;
  status: string;
  progress: string | null;
  results: string | null;
  error_code: string | null;
  cancel_requested: number;
  model_name: string;
  model_version: number | null;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** A registered model version. */
export interface ModelTable {
  id: string;
  workspace_id: string;
  name: string;
  version: number;
  run_id: string | null;
  format: string;
  stage: string;
  artifact: string;
  artifact_sha256: string;
  signature: string;
  sign_key_id: string;
  card: string;
  created_by: string;
  created_at: string;
  approved_by: string | null;
  approved_at: string | null;
  override_reason: string | null;
  retired_by: string | null;
  retired_at: string | null;
}

/** Queries a principal made to a model in one budget window. */
export interface ModelQueryUseTable {
  model_id: string;
  subject: string;
  window_start: string;
  used: number;
}

/** The prediction stored with an admitted encounter. */
export interface EncounterPredictionTable {
  encounter_id: string;
  workspace_id: string;
  status: string;
  model_name: string | null;
  model_version: number | null;
  predicted: number | null;
  interval_low: number | null;
  interval_high: number | null;
  ood: number;
  ood_reasons: string;
  error_code: string | null;
  scored_at: string;
}

/** The poisoning screen of a dataset version. */
export interface VersionScreenTable {
  version_id: string;
  workspace_id: string;
  baseline_version: number | null;
  report: string;
  flags: number;
  screened_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  ack_reason: string | null;
}

/** The privacy ledger of a dataset version (accountant state of its DP training runs). */
export interface PrivacyLedgerTable {
  version_id: string;
  workspace_id: string;
  state: string;
  revision: number;
  updated_at: string;
}

/** The differencing guard's memory of released report slices, per user and workspace (sketches and counts only). */
export interface ReportReleaseMemoryTable {
  user_id: string;
  workspace_id: string;
  state: string;
  revision: number;
  updated_at: string;
}

/** The whole schema as Kysely sees it. */
export interface HavenDatabase {
  dataset: DatasetTable;
  dataset_version: DatasetVersionTable;
  dataset_row: DatasetRowTable;
  quarantine_row: QuarantineRowTable;
  encounter: EncounterTable;
  training_run: TrainingRunTable;
  version_screen: VersionScreenTable;
  model: ModelTable;
  model_query_use: ModelQueryUseTable;
  privacy_ledger: PrivacyLedgerTable;
  report_release_memory: ReportReleaseMemoryTable;
  encounter_prediction: EncounterPredictionTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_checkpoint: AuditCheckpointTable;
  api_token: ApiTokenTable;
  app_user: AppUserTable;
  password_history: PasswordHistoryTable;
  recovery_code: RecoveryCodeTable;
  workspace: WorkspaceTable;
  membership: MembershipTable;
  user_session: UserSessionTable;
  login_throttle: LoginThrottleTable;
  key_version: KeyVersionTable;
  protected_field: ProtectedFieldTable;
  blob_object: BlobObjectTable;
  key_job: KeyJobTable;
  signing_key: SigningKeyTable;
  sso_identity: SsoIdentityTable;
  sso_login: SsoLoginTable;
  webauthn_credential: WebauthnCredentialTable;
  webauthn_challenge: WebauthnChallengeTable;
}
