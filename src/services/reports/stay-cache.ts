import { toStayRow, type StayRow } from '../../libs/stay-reports/stay-row.js';
import type { Storage } from '../ports.js';

interface Entry {
  readonly version: string;
  readonly rows: Promise<StayRow[]>;
}

/**
 * The workspaces' encounters, parsed once per data version: every request asks the store for the cheap fingerprint
 * (counts and latest change times) and reloads only when it changed, so a report over 100,000 stays does not re-read
 * and re-parse them each time. Concurrent requests for the same version share one load. Correct across processes
 * sharing PostgreSQL, since the fingerprint is read from the store on every call.
 */
export class StayCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly storage: Storage,
    private readonly maxWorkspaces = 16,
  ) {}

  /**
   * The current data version of a workspace and its parsed encounters.
   * @param workspaceId - workspace id
   */
  async get(workspaceId: string): Promise<{ version: string; rows: StayRow[] }> {
    const version = await this.storage.read.reports.dataVersion(workspaceId);
    const cached = this.entries.get(workspaceId);
    if (cached && cached.version === version) {
      return { version, rows: await cached.rows };
    }
    const rows = this.storage.read.reports.stays(workspaceId).then((stays) => stays.map(toStayRow));
    this.entries.delete(workspaceId);
    if (this.entries.size >= this.maxWorkspaces) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(workspaceId, { version, rows });
    try {
      return { version, rows: await rows };
    } catch (err) {
      this.entries.delete(workspaceId);
      throw err;
    }
  }
}
