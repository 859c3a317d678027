import type { Kysely } from 'kysely';
import type { Repositories } from '../../services/ports.js';
import type { HavenDatabase } from './database.js';
import { auditRepository } from './repositories/audit-repository.js';
import { keyRepository } from './repositories/key-repository.js';
import { ssoRepository } from './repositories/sso-repository.js';
import { webauthnRepository } from './repositories/webauthn-repository.js';
import { datasetRepository } from './repositories/dataset-repository.js';
import { encounterRepository } from './repositories/encounter-repository.js';
import { modelRepository } from './repositories/model-repository.js';
import { privacyLedgerRepository } from './repositories/privacy-ledger-repository.js';
import { reportRepository } from './repositories/report-repository.js';
import { screenRepository } from './repositories/screen-repository.js';
import { sessionRepository } from './repositories/session-repository.js';
import { throttleRepository } from './repositories/throttle-repository.js';
import { tokenRepository } from './repositories/token-repository.js';
import { userRepository } from './repositories/user-repository.js';
import { workspaceRepository } from './repositories/workspace-repository.js';

/**
 * All repositories over one Kysely handle (a transaction or the root database). Each area keeps its repository in
 * repositories/<area>-repository.ts; adding an area is one line here and one in services/ports.ts.
 * @param db - a Kysely handle
 * @param afterCommit - where to queue post-commit work
 */
export function kyselyRepositories(db: Kysely<HavenDatabase>, afterCommit: (fn: () => void) => void): Repositories {
  return {
    afterCommit,
    audit: auditRepository(db),
    tokens: tokenRepository(db),
    users: userRepository(db),
    workspaces: workspaceRepository(db),
    sessions: sessionRepository(db),
    throttle: throttleRepository(db),
    datasets: datasetRepository(db),
    encounters: encounterRepository(db),
    models: modelRepository(db),
    privacyLedgers: privacyLedgerRepository(db),
    reports: reportRepository(db),
    screens: screenRepository(db),
    keys: keyRepository(db),
    sso: ssoRepository(db),
    webauthn: webauthnRepository(db),
  };
}
