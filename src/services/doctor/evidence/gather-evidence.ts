import { isLoopback } from '../../../config/validate.js';
import type { HavenConfig } from '../../../config/schema.js';
import { HavenError } from '../../../errors/haven-error.js';
import type { WorkspaceRecord } from '../../identity/identity-ports.js';
import { SYSTEM_WORKSPACE } from '../../keys/key-ids.js';
import type { AuditVerifyReport } from '../../audit/audit-service.js';
import type { Repositories } from '../../ports.js';
import { checkPosture } from '../posture-checks.js';
import type { DatasetFacts, EvidenceFacts, KeyFacts, LedgerFacts } from './evidence-facts.js';
import type { EvidenceSources } from './evidence-sources.js';
import { accountFacts, policyFacts, tokenFacts, workspaceFacts } from './gather-identity-facts.js';

const PAGE = 1000;
/** Requests to a workspace's data (datasets, encounters, models, training), not to its metadata or members. */
const DATA_ROUTE = /^[A-Z]+ \/api\/workspaces\/:[A-Za-z]+\/(?!members(\/|$))[a-z]/;
const DATA_EVENT_PREFIXES = ['dataset.', 'encounter.', 'admission.', 'discharge.', 'model.', 'training.', 'prediction.'];
const TLS_SSLMODES = new Set(['require', 'verify-ca', 'verify-full']);

/**
 * How Haven reaches its database: the embedded file, a loopback server, a server over TLS, or one without.
 * @param config - the configuration
 */
export function databaseLinkOf(config: HavenConfig): EvidenceFacts['databaseLink'] {
  const url = config.database.url;
  if (!url) {
    return 'embedded';
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'unencrypted';
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const socketHost = parsed.searchParams.get('host');
  if ((host === '' && (socketHost === null || socketHost.startsWith('/'))) || isLoopback(host)) {
    return 'loopback';
  }
  const sslmode = parsed.searchParams.get('sslmode');
  return (sslmode !== null && TLS_SSLMODES.has(sslmode)) || parsed.searchParams.get('ssl') === 'true' ? 'tls' : 'unencrypted';
}

async function datasetFacts(read: Repositories, workspaces: readonly WorkspaceRecord[], workspacesWithKek: ReadonlySet<string>): Promise<DatasetFacts> {
  const byStatus = { importing: 0, ready: 0, published: 0, failed: 0 };
  let datasets = 0;
  let versions = 0;
  let withoutHash = 0;
  let unreconciled = 0;
  let withData = 0;
  let withDataWithoutKek = 0;
  for (const ws of workspaces) {
    const list = await read.datasets.datasets(ws.id);
    datasets += list.length;
    if (list.length > 0 && ws.deletedAt === null) {
      withData++;
      withDataWithoutKek += workspacesWithKek.has(ws.id) ? 0 : 1;
    }
    for (const ds of list) {
      for (const v of await read.datasets.versions(ds.id)) {
        versions++;
        byStatus[v.status === 'relabelling' ? 'ready' : v.status]++; // relabelling: a ready version whose labels a steward is changing
        if (v.status === 'ready' || v.status === 'published') {
          withoutHash += v.sha256 === null || v.sha256 === '' ? 1 : 0;
          unreconciled += v.rowsRead === v.rowsStored + v.rowsQuarantined ? 0 : 1;
        }
      }
    }
  }
  return {
    datasets,
    versions,
    byStatus,
    withoutContentHash: withoutHash,
    unreconciled,
    workspacesWithData: withData,
    workspacesWithDataWithoutKek: withDataWithoutKek,
  };
}

async function keyFacts(read: Repositories, sources: EvidenceSources): Promise<{ facts: KeyFacts; workspacesWithKek: Set<string> }> {
  const all = await read.keys.list();
  const activeKeks = all.filter((k) => k.state === 'active' && k.purpose === 'workspace-kek');
  const workspacesWithKek = new Set(activeKeks.map((k) => k.workspace));
  return {
    workspacesWithKek,
    facts: {
      keystore: sources.keystore(),
      versions: {
        active: all.filter((k) => k.state === 'active').length,
        retired: all.filter((k) => k.state === 'retired').length,
        destroyed: all.filter((k) => k.state === 'destroyed').length,
      },
      activeWorkspaceKeks: activeKeks.filter((k) => k.workspace !== SYSTEM_WORKSPACE).length,
      systemKekActive: workspacesWithKek.has(SYSTEM_WORKSPACE),
      activeDataKeys: all.filter((k) => k.state === 'active' && k.purpose !== 'workspace-kek').length,
    },
  };
}

async function verifySafely(sources: EvidenceSources): Promise<{ report: AuditVerifyReport | undefined; error: string | null }> {
  try {
    return { report: await sources.verifyLedger(), error: null };
  } catch (err) {
    return { report: undefined, error: err instanceof HavenError ? err.code : 'HAVEN_INTERNAL' };
  }
}

async function ledgerFacts(read: Repositories, sources: EvidenceSources): Promise<LedgerFacts> {
  const { report, error } = await verifySafely(sources);
  const outcomes = { success: 0, failure: 0, denied: 0 };
  let dataAccessEvents = 0;
  for (let after = 0; ;) {
    const page = await read.audit.page(after, PAGE);
    for (const e of page) {
      outcomes[e.outcome]++;
      const aboutData = e.action === 'http.request' ? DATA_ROUTE.test(e.resource) : DATA_EVENT_PREFIXES.some((p) => e.action.startsWith(p));
      dataAccessEvents += aboutData ? 1 : 0;
    }
    if (page.length < PAGE) {
      break;
    }
    after = page.at(-1)!.seq;
  }
  const last = (await read.audit.checkpoints()).at(-1);
  let mirrored: number | null;
  try {
    mirrored = sources.mirroredCheckpoint()?.seq ?? null;
  } catch {
    mirrored = null;
  }
  return {
    verified: report?.ok ?? false,
    entries: report?.entries ?? 0,
    headSeq: report?.headSeq ?? 0,
    checkpoints: report?.checkpoints ?? 0,
    firstBad: report?.firstBad ? { seq: report.firstBad.seq, fault: report.firstBad.fault } : null,
    error,
    lastCheckpoint: last ? { seq: last.seq, ts: last.ts, keyId: last.keyId } : null,
    mirroredCheckpointSeq: mirrored,
    checkpointInterval: sources.config.audit.checkpointInterval,
    outcomes,
    dataAccessEvents,
  };
}

/**
 * Measure everything the evidence report judges, from the live configuration, database, ledger and data
 * directory. Read-only: nothing is written, the root key is not opened.
 * @param sources - the instance's sources of evidence
 */
export async function gatherEvidence(sources: EvidenceSources): Promise<EvidenceFacts> {
  const now = sources.clock.now();
  const read = sources.storage.read;
  const posture = sources.postureFacts(now);
  const users = await read.users.list();
  const workspaces = await read.workspaces.list();
  const keys = await keyFacts(read, sources);
  const cert = posture.certificate;
  return {
    generatedAt: now.toISOString(),
    instanceId: sources.instanceId,
    havenVersion: sources.havenVersion,
    store: sources.storage.kind,
    config: sources.config,
    posture: checkPosture(posture),
    certificate: sources.config.server.tls
      ? { present: cert?.present ?? false, keyPresent: cert?.keyPresent ?? false, notAfter: cert?.notAfter?.toISOString() ?? null }
      : null,
    databaseLink: databaseLinkOf(sources.config),
    accounts: await accountFacts(read, users),
    tokens: await tokenFacts(read, users, now, sources.config.identity.tokenMaxDays),
    workspaces: await workspaceFacts(read, workspaces, users),
    datasets: await datasetFacts(read, workspaces, keys.workspacesWithKek),
    keys: keys.facts,
    ledger: await ledgerFacts(read, sources),
    policy: policyFacts(),
  };
}
