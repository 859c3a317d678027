import { isHavenError } from '../../errors/haven-error.js';
import type { RawCell } from '../../libs/ml/feature-matrix.js';
import type { OodReason } from '../../libs/ml-defence/ood.js';
import type { Principal } from '../access/policy.js';
import type { Clock, Storage } from '../ports.js';
import type { EncounterPredictionRecord } from './model-ports.js';
import type { ScoringService } from './scoring-service.js';

/** The target admissions are scored for. */
export const ADMISSION_TARGET = 'lengthofstay';

/** A stored admission prediction as the clinician sees it. A failure is explicit: status `failed` and its code. */
export interface AdmissionPrediction {
  readonly status: 'scored' | 'failed';
  readonly model: { readonly name: string; readonly version: number } | null;
  readonly predictedLengthOfStay: number | null;
  readonly interval: readonly [number, number] | null;
  readonly outOfDistribution: boolean;
  readonly oodReasons: readonly OodReason[];
  readonly errorCode: string | null;
  readonly scoredAt: string;
}

const view = (p: EncounterPredictionRecord): AdmissionPrediction => ({
  status: p.status,
  model: p.modelName === null || p.modelVersion === null ? null : { name: p.modelName, version: p.modelVersion },
  predictedLengthOfStay: p.predicted,
  interval: p.intervalLow === null || p.intervalHigh === null ? null : [p.intervalLow, p.intervalHigh],
  outOfDistribution: p.ood,
  oodReasons: JSON.parse(p.oodReasons) as OodReason[],
  errorCode: p.errorCode,
  scoredAt: p.scoredAt,
});

/**
 * Scores each admission with the workspace's approved length-of-stay model and stores the prediction, its interval,
 * the model version and the OOD flags with the encounter. When scoring fails (no approved model, budget exhausted,
 * bad record…) the admission stands and the failure is stored and returned with its code — never a silent 0.
 */
export class AdmissionScoring {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly scoring: ScoringService,
  ) {}

  /**
   * Score one admitted encounter and store the outcome.
   * @param principal - the admitting clinician (the query counts against their budget)
   * @param workspaceId - workspace id
   * @param encounterId - the stored encounter's id
   * @param record - the admission record (plain columns, no names)
   * @param requestId - for the ledger
   */
  async score(
    principal: Principal,
    workspaceId: string,
    encounterId: string,
    record: Readonly<Record<string, RawCell>>,
    requestId: string,
  ): Promise<AdmissionPrediction> {
    const base = { encounterId, workspaceId, scoredAt: this.clock.now().toISOString() };
    let stored: EncounterPredictionRecord;
    const model = await this.scoring.approvedFor(workspaceId, ADMISSION_TARGET);
    if (!model) {
      stored = {
        ...base,
        status: 'failed',
        modelName: null,
        modelVersion: null,
        predicted: null,
        intervalLow: null,
        intervalHigh: null,
        ood: false,
        oodReasons: '[]',
        errorCode: 'HAVEN_MODEL_NO_APPROVED',
      };
    } else {
      try {
        const r = await this.scoring.predict(principal, workspaceId, model.name, model.version, [record], requestId);
        const p = r.predictions[0]!;
        stored = {
          ...base,
          status: 'scored',
          modelName: r.model.name,
          modelVersion: r.model.version,
          predicted: p.prediction,
          intervalLow: p.interval[0],
          intervalHigh: p.interval[1],
          ood: p.ood.flagged,
          oodReasons: JSON.stringify(p.ood.reasons),
          errorCode: null,
        };
      } catch (err) {
        const code = isHavenError(err) ? err.code : 'HAVEN_INTERNAL';
        stored = {
          ...base,
          status: 'failed',
          modelName: model.name,
          modelVersion: model.version,
          predicted: null,
          intervalLow: null,
          intervalHigh: null,
          ood: false,
          oodReasons: '[]',
          errorCode: code,
        };
      }
    }
    await this.storage.transaction((repos) => repos.models.upsertPrediction(stored));
    return view(stored);
  }

  /**
   * The stored prediction of an encounter, or null when none was made.
   * @param encounterId - the stored encounter's id
   */
  async get(encounterId: string): Promise<AdmissionPrediction | null> {
    const p = await this.storage.read.models.prediction(encounterId);
    return p ? view(p) : null;
  }
}
