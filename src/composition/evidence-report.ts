import { fileCheckpointMirror, instanceIdOf } from '../adapters/datadir/data-dir.js';
import { gatherPostureFacts } from '../adapters/datadir/posture-facts.js';
import { readKeystore } from '../adapters/keys/keystore-file.js';
import { HavenError } from '../errors/haven-error.js';
import type { EvidenceDocument } from '../libs/report/evidence-document.js';
import { buildEvidenceDocument } from '../services/doctor/evidence/evaluate-controls.js';
import type { EvidenceSources, KeystoreSummary } from '../services/doctor/evidence/evidence-sources.js';
import { gatherEvidence } from '../services/doctor/evidence/gather-evidence.js';
import { HAVEN_VERSION } from '../version.js';
import type { Instance } from './open-instance.js';

function summariseKeystore(dataDir: string): KeystoreSummary {
  try {
    const ks = readKeystore(dataDir);
    return { state: 'present', provider: ks.provider, rootVersion: ks.rootVersion, problem: null };
  } catch (err) {
    if (err instanceof HavenError && err.code === 'HAVEN_KEYS_NOT_INITIALISED') {
      return { state: 'absent', provider: null, rootVersion: null, problem: null };
    }
    const reason = err instanceof HavenError && typeof err.detail?.['reason'] === 'string' ? err.detail['reason'] : 'unreadable';
    return { state: 'invalid', provider: null, rootVersion: null, problem: reason };
  }
}

/**
 * Wire the evidence sources of an open instance: its storage, ledger and configuration, the data directory's
 * posture facts, the keystore summary and the checkpoint mirror.
 * @param instance - the open instance
 * @param env - the environment the configuration was resolved with (default: the process's, as openInstance)
 */
export function evidenceSourcesOf(instance: Instance, env: Readonly<Record<string, string | undefined>> = process.env): EvidenceSources {
  const mirror = fileCheckpointMirror(instance.dataDir);
  return {
    storage: instance.storage,
    config: instance.config,
    clock: instance.clock,
    instanceId: instanceIdOf(instance.dataDir),
    havenVersion: HAVEN_VERSION,
    verifyLedger: () => instance.audit.verify(instance.storage),
    postureFacts: (now) => gatherPostureFacts(instance.dataDir, env, now),
    keystore: () => summariseKeystore(instance.dataDir),
    mirroredCheckpoint: () => mirror.read(),
  };
}

/**
 * Measure an open instance now and evaluate every control: the evidence report as data.
 * @param instance - the open instance
 * @param env - the environment the configuration was resolved with (default: the process's, as openInstance)
 */
export async function evidenceReportOf(instance: Instance, env: Readonly<Record<string, string | undefined>> = process.env): Promise<EvidenceDocument> {
  return buildEvidenceDocument(await gatherEvidence(evidenceSourcesOf(instance, env)));
}
