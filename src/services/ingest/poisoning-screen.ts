import { HavenError, isHavenError } from '../../errors/haven-error.js';
import { screenDatasetVersion, type DatasetColumns, type PoisoningFlag } from '../../libs/ml-defence/poisoning.js';
import type { Principal } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock, Storage } from '../ports.js';
import type { ColumnHandling } from './handling-policy.js';
import type { DatasetVersionRecord } from './ingest-ports.js';
import type { VersionScreenRecord } from './screen-ports.js';

/** Rows of each version read for the screen (the statistics are compared on equal-size samples anyway). */
const MAX_SCREEN_ROWS = 200_000;
const PAGE_ROWS = 5000;

/** The screen of a version as stewards and scientists see it. */
export interface ScreenView {
  readonly version: number;
  readonly baselineVersion: number | null;
  readonly status: 'baseline' | 'clear' | 'flagged' | 'error';
  readonly flags: readonly PoisoningFlag[];
  readonly errorCode: string | null;
  readonly screenedAt: string;
  readonly acknowledged: { readonly by: string; readonly at: string } | null;
}

interface StoredReport {
  status: ScreenView['status'];
  flags: PoisoningFlag[];
  errorCode: string | null;
  rowsPrevious?: number;
  rowsNext?: number;
}

const view = (version: number, r: VersionScreenRecord): ScreenView => {
  const rep = JSON.parse(r.report) as StoredReport;
  return {
    version,
    baselineVersion: r.baselineVersion,
    status: rep.status,
    flags: rep.flags,
    errorCode: rep.errorCode,
    screenedAt: r.screenedAt,
    acknowledged: r.acknowledgedBy && r.acknowledgedAt ? { by: r.acknowledgedBy, at: r.acknowledgedAt } : null,
  };
};

/** Numeric and categorical plain columns of a version, from its stored schema and handling. */
function screenedColumns(v: DatasetVersionRecord): { numeric: string[]; categorical: string[] } {
  const plain = new Set(((v.policy ?? []) as ColumnHandling[]).filter((h) => h.action === 'plain').map((h) => h.column));
  const schema = (v.schema ?? []) as { name: string; type: string }[];
  return {
    numeric: schema.filter((c) => plain.has(c.name) && (c.type === 'integer' || c.type === 'decimal')).map((c) => c.name),
    categorical: schema.filter((c) => plain.has(c.name) && (c.type === 'categorical' || c.type === 'boolean')).map((c) => c.name),
  };
}

/**
 * Poisoning screens (OWASP ML02): each imported version is compared with the dataset's previous usable version for
 * distribution and label shift, missingness, exact and near-duplicate injection and outliers. A flagged version (or one
 * whose screen could not run) cannot be trained on until a data steward acknowledges it, with a reason; the
 * acknowledgement is audited.
 */
export class PoisoningScreen {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private async columns(v: DatasetVersionRecord, names: readonly string[]): Promise<Record<string, (string | number | null)[]>> {
    const out: Record<string, (string | number | null)[]> = Object.fromEntries(names.map((n) => [n, []]));
    let read = 0;
    for (let after = 0; read < MAX_SCREEN_ROWS;) {
      const page = await this.storage.read.datasets.rows(v.id, after, PAGE_ROWS);
      for (const r of page) {
        const doc = JSON.parse(r.data) as { v: Record<string, string> };
        for (const n of names) {
          const cell = doc.v[n];
          out[n]!.push(cell === undefined || cell === '' ? null : cell);
        }
      }
      read += page.length;
      if (page.length < PAGE_ROWS) {
        break;
      }
      after = page.at(-1)!.rowNo;
    }
    return out;
  }

  private async report(workspaceId: string, v: DatasetVersionRecord): Promise<{ baseline: number | null; report: StoredReport }> {
    const previous = (await this.storage.read.datasets.versions(v.datasetId))
      .filter((x) => x.version < v.version && (x.status === 'ready' || x.status === 'published'))
      .at(-1);
    if (!previous) {
      return { baseline: null, report: { status: 'baseline', flags: [], errorCode: null } };
    }
    try {
      const cols = screenedColumns(v);
      const prevCols = screenedColumns(previous);
      const numeric = cols.numeric.filter((c) => prevCols.numeric.includes(c));
      const categorical = cols.categorical.filter((c) => prevCols.categorical.includes(c));
      const names = [...numeric, ...categorical];
      const toNumbers = (c: Record<string, (string | number | null)[]>): DatasetColumns =>
        Object.fromEntries(Object.entries(c).map(([k, vals]) => [k, numeric.includes(k) ? vals.map((x) => (x === null ? null : Number(x))) : vals]));
      const result = screenDatasetVersion(toNumbers(await this.columns(previous, names)), toNumbers(await this.columns(v, names)), { numeric, categorical });
      void workspaceId;
      return {
        baseline: previous.version,
        report: {
          status: result.flags.length > 0 ? 'flagged' : 'clear',
          flags: [...result.flags],
          errorCode: null,
          rowsPrevious: result.rowsPrevious,
          rowsNext: result.rowsNext,
        },
      };
    } catch (err) {
      // Fail closed: a screen that could not run needs the same acknowledgement as a flagged one.
      return { baseline: previous.version, report: { status: 'error', flags: [], errorCode: isHavenError(err) ? err.code : 'HAVEN_INTERNAL' } };
    }
  }

  /**
   * Screen a version that has just become ready, and store the result (audited with counts only).
   * @param actor - who imported it
   * @param workspaceId - workspace id
   * @param datasetName - dataset name
   * @param v - the version record
   * @param requestId - for the ledger
   */
  async screen(actor: string, workspaceId: string, datasetName: string, v: DatasetVersionRecord, requestId: string): Promise<ScreenView> {
    const { baseline, report } = await this.report(workspaceId, v);
    const record: VersionScreenRecord = {
      versionId: v.id,
      workspaceId,
      baselineVersion: baseline,
      report: JSON.stringify(report),
      flags: report.status === 'flagged' || report.status === 'error' ? Math.max(1, report.flags.length) : 0,
      screenedAt: this.clock.now().toISOString(),
      acknowledgedBy: null,
      acknowledgedAt: null,
      ackReason: null,
    };
    const event = {
      actor,
      action: 'dataset.screen',
      resource: `dataset:${datasetName}@${v.version}`,
      requestId,
      detail: { workspace: workspaceId, status: report.status, flags: report.flags.length },
    };
    await this.audit.withAudit(this.storage, event, (repos) => repos.screens.upsert(record));
    return view(v.version, record);
  }

  /** A version's screen, or HAVEN_HTTP_NOT_FOUND when it has none (not imported to completion). */
  async get(v: DatasetVersionRecord): Promise<ScreenView> {
    const r = await this.storage.read.screens.get(v.id);
    if (!r) {
      throw new HavenError('HAVEN_HTTP_NOT_FOUND');
    }
    return view(v.version, r);
  }

  /**
   * A steward acknowledges a flagged version's screen, with a reason (kept with the screen; the ledger records the fact).
   * @param principal - the steward
   * @param datasetName - dataset name
   * @param v - the version
   * @param reason - why training on it is acceptable
   * @param requestId - for the ledger
   */
  async acknowledge(principal: Principal, datasetName: string, v: DatasetVersionRecord, reason: string, requestId: string): Promise<ScreenView> {
    const event = { actor: principal.subject, action: 'dataset.screen_acknowledge', resource: `dataset:${datasetName}@${v.version}`, requestId };
    await this.audit.withAudit(this.storage, event, async (repos) => {
      const r = await repos.screens.get(v.id);
      if (!r) {
        throw new HavenError('HAVEN_HTTP_NOT_FOUND');
      }
      if (r.flags === 0) {
        throw new HavenError('HAVEN_INGEST_VERSION_STATE', undefined, { detail: { status: 'not_flagged' } });
      }
      if (!(await repos.screens.acknowledge(v.id, principal.subject, this.clock.now().toISOString(), reason))) {
        throw new HavenError('HAVEN_INGEST_VERSION_STATE', undefined, { detail: { status: 'already_acknowledged' } });
      }
    });
    return this.get(v);
  }

  /**
   * Refuse training on a version whose screen is flagged (or failed, or missing) and not acknowledged.
   * @param v - the version to train on
   */
  async requireClear(v: DatasetVersionRecord): Promise<void> {
    const r = await this.storage.read.screens.get(v.id);
    if (!r || (r.flags > 0 && r.acknowledgedBy === null)) {
      throw new HavenError('HAVEN_TRAIN_POISONING_UNACKNOWLEDGED', undefined, { detail: { version: v.version, screened: r !== undefined } });
    }
  }
}
