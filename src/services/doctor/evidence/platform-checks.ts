import { isLoopback } from '../../../config/validate.js';
import { daysBetween, fact, judge, type Check, type CheckOutcome } from './check-outcome.js';
import type { EvidenceFacts } from './evidence-facts.js';

function keystoreFacts(f: EvidenceFacts) {
  const k = f.keys;
  return [
    fact('keys.keystore', 'root keystore', k.keystore.state),
    fact('keys.root_provider', 'root key provider', k.keystore.provider ?? 'none'),
    fact('keys.root_version', 'root key version', k.keystore.rootVersion ?? 0),
    ...(k.keystore.problem ? [fact('keys.keystore_problem', 'keystore problem', k.keystore.problem)] : []),
  ];
}

function keystoreProblems(f: EvidenceFacts): string[] {
  const k = f.keys.keystore;
  if (k.state === 'absent') {
    return ['no key hierarchy: the instance was initialised without keys, so nothing can be encrypted'];
  }
  if (k.state === 'invalid') {
    return [`the root keystore is unusable (${k.problem ?? 'unknown'})`];
  }
  return [];
}

/** Sensitive values are encrypted under a key hierarchy whose root never sits in the database. */
export const encryptionAtRest: Check = (f) => {
  const k = f.keys;
  const problems = keystoreProblems(f);
  if (k.keystore.state === 'present' && !k.systemKekActive) {
    problems.push('the system key-encryption key is missing or not active');
  }
  if (f.datasets.workspacesWithDataWithoutKek > 0) {
    problems.push(`${f.datasets.workspacesWithDataWithoutKek} workspace(s) hold data without an active workspace key`);
  }
  return judge(
    problems,
    `key hierarchy present (root in ${k.keystore.provider === 'pkcs11' ? 'a PKCS#11 token' : 'a passphrase-sealed keystore'}); identifiers and quarantined rows are stored as AES-256-GCM ciphertext under per-workspace keys`,
    [
      ...keystoreFacts(f),
      fact('keys.system_kek_active', 'system key-encryption key active', k.systemKekActive),
      fact('keys.workspace_keks_active', 'active workspace key-encryption keys', k.activeWorkspaceKeks),
      fact('keys.data_keys_active', 'active data keys (dataset, pseudonym, artifact)', k.activeDataKeys),
      fact('datasets.workspaces_with_data', 'workspaces holding datasets', f.datasets.workspacesWithData),
      fact('datasets.workspaces_without_key', 'workspaces holding datasets without an active workspace key', f.datasets.workspacesWithDataWithoutKek),
      fact('store.kind', 'database', f.store),
    ],
  );
};

/** Keys are managed in a hierarchy, kept apart from the data they protect, rotated and destroyed on record. */
export const keyManagement: Check = (f) => {
  const k = f.keys;
  const where =
    k.keystore.provider === 'pkcs11'
      ? 'PKCS#11 token (non-extractable key)'
      : k.keystore.provider === 'local'
        ? 'keystore file sealed by a passphrase that is never stored'
        : 'none';
  return judge(keystoreProblems(f), `root key held in a ${where}; only wrapped keys are stored in the database`, [
    ...keystoreFacts(f),
    fact('keys.root_location', 'where the root key is held', where),
    fact('keys.versions_active', 'active key versions', k.versions.active),
    fact('keys.versions_retired', 'retired key versions (decrypt only)', k.versions.retired),
    fact('keys.versions_destroyed', 'destroyed key versions (crypto-shredded)', k.versions.destroyed),
  ]);
};

function ledgerFacts(f: EvidenceFacts) {
  const l = f.ledger;
  return [
    fact('ledger.verified', 'hash chain and signed checkpoints verify', l.verified),
    fact('ledger.entries', 'entries verified', l.entries),
    fact('ledger.head_seq', 'ledger head (sequence number)', l.headSeq),
    fact('ledger.checkpoints', 'signed checkpoints', l.checkpoints),
    fact('ledger.last_checkpoint_seq', 'last signed checkpoint at entry', l.lastCheckpoint?.seq ?? 0),
    fact('ledger.last_checkpoint_at', 'last signed checkpoint time', l.lastCheckpoint?.ts ?? 'none'),
    fact('ledger.last_checkpoint_key', 'last checkpoint signing key id', l.lastCheckpoint?.keyId ?? 'none'),
    fact('ledger.mirrored_checkpoint_seq', 'checkpoint mirrored outside the database, at entry', l.mirroredCheckpointSeq ?? 0),
    fact('config.audit.checkpointInterval', 'a checkpoint is signed every N entries', l.checkpointInterval),
    fact('ledger.outcome_success', 'entries recording success', l.outcomes.success),
    fact('ledger.outcome_failure', 'entries recording failure', l.outcomes.failure),
    fact('ledger.outcome_denied', 'entries recording a denial', l.outcomes.denied),
    ...(l.error ? [fact('ledger.error', 'verification stopped with', l.error)] : []),
    ...(l.firstBad
      ? [fact('ledger.first_bad_seq', 'first bad entry', l.firstBad.seq), fact('ledger.first_bad_fault', 'fault at the first bad entry', l.firstBad.fault)]
      : []),
  ];
}

function ledgerProblems(f: EvidenceFacts): string[] {
  const l = f.ledger;
  const problems: string[] = [];
  if (!l.verified) {
    problems.push(
      l.firstBad
        ? `the ledger fails verification at entry ${l.firstBad.seq} (${l.firstBad.fault})`
        : `the ledger could not be verified (${l.error ?? 'unknown'})`,
    );
  }
  if (l.checkpoints > 0 && l.mirroredCheckpointSeq === null) {
    problems.push('the checkpoint mirror outside the database is missing, so truncation would go unnoticed');
  }
  return problems;
}

/** Every request and change is recorded in a hash-chained, signed ledger that verifies now. */
export const auditLedger: Check = (f) =>
  judge(
    ledgerProblems(f),
    `ledger verified up to entry ${f.ledger.headSeq}, last signed checkpoint at entry ${f.ledger.lastCheckpoint?.seq ?? 0}`,
    ledgerFacts(f),
  );

/** Access to datasets and encounters is in the ledger: who, when, which route. */
export const dataAccessRecords: Check = (f) =>
  judge(
    ledgerProblems(f),
    `${f.ledger.dataAccessEvents} data access event(s) recorded (actor, time, route, outcome) in a ledger verified up to entry ${f.ledger.headSeq}`,
    [fact('ledger.data_access_events', 'ledger entries about workspace data (datasets, encounters, models)', f.ledger.dataAccessEvents), ...ledgerFacts(f)],
  );

/** Stored data is what was imported (content hash, reconciled row counts), and every change is chained in the ledger. */
export const dataIntegrity: Check = (f) => {
  const d = f.datasets;
  const problems: string[] = [];
  if (d.withoutContentHash > 0) {
    problems.push(`${d.withoutContentHash} ready or published dataset version(s) have no recorded SHA-256`);
  }
  if (d.unreconciled > 0) {
    problems.push(`${d.unreconciled} ready or published dataset version(s) do not reconcile (rows read ≠ stored + quarantined)`);
  }
  if (!f.ledger.verified) {
    problems.push('the ledger recording changes fails verification');
  }
  return judge(
    problems,
    `${d.byStatus.ready + d.byStatus.published} usable dataset version(s), each with a recorded SHA-256 and reconciled row counts; encrypted values are authenticated (AES-256-GCM); the ledger verifies`,
    [
      fact('datasets.count', 'datasets', d.datasets),
      fact('datasets.versions', 'dataset versions', d.versions),
      fact('datasets.ready', 'versions ready', d.byStatus.ready),
      fact('datasets.published', 'versions published', d.byStatus.published),
      fact('datasets.importing', 'versions importing', d.byStatus.importing),
      fact('datasets.failed', 'versions failed (their rows removed)', d.byStatus.failed),
      fact('datasets.without_hash', 'usable versions without a recorded SHA-256', d.withoutContentHash),
      fact('datasets.unreconciled', 'usable versions whose row counts do not reconcile', d.unreconciled),
      fact('ledger.verified', 'hash chain and signed checkpoints verify', f.ledger.verified),
    ],
  );
};

function linkKind(url: string | undefined): string {
  if (!url) {
    return 'off';
  }
  return url.startsWith('https://') ? 'https' : 'http (loopback only)';
}

/** The API is served over TLS with a valid certificate. */
export const serverTransport: Check = (f) => {
  const s = f.config.server;
  const cert = f.certificate;
  const daysLeft = cert?.notAfter ? daysBetween(f.generatedAt, cert.notAfter) : 0;
  const problems: string[] = [];
  if (!s.tls) {
    problems.push('the server speaks plain HTTP (server.tls=false); transport security then depends on a proxy Haven cannot see');
  } else if (!cert || !cert.present || !cert.keyPresent || !cert.notAfter || daysLeft < 0) {
    problems.push('the TLS certificate or its key is missing, unreadable or expired');
  }
  return judge(problems, `HTTPS only; certificate valid for ${daysLeft} more days`, [
    fact('config.server.tls', 'HTTPS enabled', s.tls),
    fact('config.server.allowPlainHttp', 'plain HTTP explicitly allowed', s.allowPlainHttp),
    fact('server.bind_loopback', 'listens on loopback only', isLoopback(s.host)),
    fact('tls.certificate_present', 'certificate readable', cert?.present ?? false),
    fact('tls.key_present', 'certificate key present', cert?.keyPresent ?? false),
    fact('tls.not_after', 'certificate valid until', cert?.notAfter ?? 'none'),
    fact('tls.days_left', 'days until the certificate expires', daysLeft),
    fact('outbound.alerts_webhook', 'security alert webhook', linkKind(f.config.alerts.webhookUrl)),
    fact('outbound.oidc_issuer', 'single sign-on provider', linkKind(f.config.oidc.issuer)),
  ]);
};

/** Data moving between Haven and its database is protected (or never crosses a network). */
export const databaseTransport: Check = (f) => {
  const evidence = [fact('store.kind', 'database', f.store), fact('store.link', 'database link', f.databaseLink)];
  switch (f.databaseLink) {
    case 'embedded':
      return { status: 'not-applicable', summary: 'embedded SQLite: data never crosses a network between components', evidence };
    case 'loopback':
      return { status: 'pass', summary: 'PostgreSQL on a loopback address: data never leaves the host', evidence };
    case 'tls':
      return { status: 'pass', summary: 'PostgreSQL over TLS (sslmode in the connection URL)', evidence };
    default:
      return { status: 'fail', summary: 'PostgreSQL on another host without TLS: set sslmode=verify-full in database.url', evidence };
  }
};

/** `haven doctor` finds nothing insecure in the data directory and configuration. */
export const configurationPosture: Check = (f) => {
  const problems = f.posture.filter((p) => !p.ok);
  return judge(
    problems.map((p) => `${p.id}: ${p.message}`),
    `haven doctor: all ${f.posture.length} posture checks pass`,
    [
      fact('posture.checks', 'posture checks run', f.posture.length),
      fact('posture.problems', 'posture problems', problems.length),
      ...f.posture.map((p) => fact(`posture.${p.id}`, p.id, `${p.ok ? 'ok' : 'PROBLEM'}: ${p.message}`)),
    ],
  );
};

/** Usage (accounts, workspaces, datasets, requests) is recorded and countable. */
export const usageRecords: Check = (f) =>
  judge(ledgerProblems(f), 'usage is recorded in the database and the ledger, and the ledger verifies', [
    fact('accounts.total', 'accounts', f.accounts.total),
    fact('workspaces.active', 'workspaces', f.workspaces.active),
    fact('datasets.count', 'datasets', f.datasets.datasets),
    fact('datasets.versions', 'dataset versions', f.datasets.versions),
    fact('tokens.active', 'active API tokens', f.tokens.active),
    fact('ledger.entries', 'ledger entries', f.ledger.entries),
    fact('ledger.data_access_events', 'ledger entries about workspace data (datasets, encounters, models)', f.ledger.dataAccessEvents),
  ]);

/** Only workspace members with a data role can take data out, and only in the pseudonymised view. */
export const egressControl: Check = (f): CheckOutcome => {
  const p = f.policy;
  const problems: string[] = [];
  if (p.dataPermissionsOutsideWorkspaces.length > 0) {
    problems.push(`data permission(s) ${p.dataPermissionsOutsideWorkspaces.join(', ')} are not workspace-scoped`);
  }
  if (p.globalRolesInWorkspacePermissions.length > 0) {
    problems.push('global roles can read workspace data');
  }
  return judge(
    problems,
    'data leaves only through workspace-scoped permissions of member roles (rows in the pseudonymised view); every read is in the ledger',
    [
      fact('policy.data_permissions_outside_workspaces', 'data permissions not scoped to a workspace', p.dataPermissionsOutsideWorkspaces.length),
      fact('policy.global_roles_with_data', 'global roles holding workspace (data) permissions', p.globalRolesInWorkspacePermissions.length),
      fact('ledger.data_access_events', 'ledger entries about workspace data (datasets, encounters, models)', f.ledger.dataAccessEvents),
      fact('outbound.alerts_webhook', 'security alert webhook (reason codes and counts only)', linkKind(f.config.alerts.webhookUrl)),
    ],
  );
};
