import { HavenError, isHavenError } from '../../errors/haven-error.js';
import { createDifferencingMemory, releaseSlice, type DifferencingMemory } from '../../libs/privacy/disclosure/differencing-guard.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock, Storage } from '../ports.js';

/** A slice about to be released: its canonical label and the ids of the records behind it. */
export interface SliceRequest {
  readonly label: string;
  readonly recordIds: readonly string[];
}

/** The guard's decision on a slice. */
export type SliceDecision =
  { readonly released: true } | { readonly released: false; readonly code: 'HAVEN_PRIVACY_DIFFERENCING_REFUSED' | 'HAVEN_PRIVACY_DIFFERENCING_MEMORY_FULL' };

const REFUSALS = ['HAVEN_PRIVACY_DIFFERENCING_REFUSED', 'HAVEN_PRIVACY_DIFFERENCING_MEMORY_FULL'] as const;
const SAVE_ATTEMPTS = 8;

/**
 * The differencing guard of the dashboard (libs/privacy/disclosure/differencing-guard.ts) with its memory in the store:
 * per user and workspace, every slice whose aggregates were released. A slice that differs from an earlier one by
 * fewer records than the threshold (or is itself that small) is refused. The memory is saved compare-and-set together
 * with a ledger entry; refusals are recorded as denied. Decisions are cached per (user, workspace, data version,
 * slice label): the same label over the same data is the same record set, so a repeat needs no new check.
 */
export class ReleaseGuard {
  private readonly decided = new Map<string, SliceDecision>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly salt: string,
    private readonly threshold: number,
    private readonly maxCachedDecisions = 20_000,
  ) {}

  /**
   * Decide a set of slices for one request, remembering the released ones.
   * @param userId - the user the aggregates go to
   * @param workspaceId - workspace id
   * @param dataVersion - the data version the slices were computed on
   * @param slices - the slices
   * @param requestId - for the ledger
   */
  release(userId: string, workspaceId: string, dataVersion: string, slices: readonly SliceRequest[], requestId: string): Promise<SliceDecision[]> {
    // One user's releases in one workspace run one after another in this process; across processes the
    // compare-and-set save decides.
    const queueKey = `${userId}\u0000${workspaceId}`;
    const run = (this.queues.get(queueKey) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.decide(userId, workspaceId, dataVersion, slices, requestId));
    this.queues.set(queueKey, run);
    void run
      .finally(() => {
        if (this.queues.get(queueKey) === run) {
          this.queues.delete(queueKey);
        }
      })
      .catch(() => undefined);
    return run;
  }

  private async decide(userId: string, workspaceId: string, dataVersion: string, slices: readonly SliceRequest[], requestId: string): Promise<SliceDecision[]> {
    const keyOf = (s: SliceRequest): string => [userId, workspaceId, dataVersion, s.label].join('\u0000');
    const out: (SliceDecision | undefined)[] = slices.map((s) => this.decided.get(keyOf(s)));
    const open = slices.flatMap((_s, i) => (out[i] === undefined ? [i] : []));
    if (open.length === 0) {
      return out as SliceDecision[];
    }
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      const stored = await this.storage.read.reports.releaseMemory(userId, workspaceId);
      let memory: DifferencingMemory = stored ? (JSON.parse(stored.state) as DifferencingMemory) : createDifferencingMemory({ threshold: this.threshold });
      const before = memory;
      const refused: { label: string; code: string; conflictWith: number }[] = [];
      for (const i of open) {
        try {
          memory = releaseSlice(memory, { filter: slices[i]!.label, recordIds: slices[i]!.recordIds }, this.salt);
          out[i] = { released: true };
        } catch (err) {
          const code = isHavenError(err) ? err.code : undefined;
          if (code !== 'HAVEN_PRIVACY_DIFFERENCING_REFUSED' && code !== 'HAVEN_PRIVACY_DIFFERENCING_MEMORY_FULL') {
            throw err;
          }
          out[i] = { released: false, code };
          const conflict = isHavenError(err) ? err.detail?.conflictWith : undefined;
          const conflictWith = typeof conflict === 'number' ? conflict : -2;
          refused.push({ label: slices[i]!.label, code, conflictWith });
        }
      }
      const saved = memory === before ? true : await this.save(userId, workspaceId, memory, stored?.revision ?? 0, open.length - refused.length, requestId);
      if (!saved) {
        continue;
      }
      for (const r of refused) {
        await this.audit.record(this.storage, {
          actor: userId,
          action: 'report.release',
          resource: `workspace:${workspaceId}`,
          outcome: 'denied',
          requestId,
          detail: { code: r.code, slice: r.label, threshold: this.threshold, conflictWith: r.conflictWith },
        });
      }
      this.remember(open.map((i) => [keyOf(slices[i]!), out[i]!] as const));
      return out as SliceDecision[];
    }
    throw new HavenError('HAVEN_STORE_UNAVAILABLE', 'the release memory kept changing under concurrent requests; try again');
  }

  private async save(userId: string, workspaceId: string, memory: DifferencingMemory, expected: number, released: number, requestId: string): Promise<boolean> {
    const event = {
      actor: userId,
      action: 'report.release',
      resource: `workspace:${workspaceId}`,
      requestId,
      detail: { released, remembered: memory.slices.length },
    };
    return this.storage.transaction(async (repos) => {
      const ok = await repos.reports.saveReleaseMemory(
        { userId, workspaceId, state: JSON.stringify(memory), revision: expected + 1, updatedAt: this.clock.now().toISOString() },
        expected,
      );
      if (ok) {
        await this.audit.append(repos, { ...event, outcome: 'success' });
      }
      return ok;
    });
  }

  private remember(entries: readonly (readonly [string, SliceDecision])[]): void {
    for (const [k, d] of entries) {
      if (this.decided.size >= this.maxCachedDecisions) {
        this.decided.delete(this.decided.keys().next().value!);
      }
      this.decided.set(k, d);
    }
  }
}

/** The refusal codes the guard returns (for schemas). */
export const REFUSAL_CODES: readonly string[] = REFUSALS;
