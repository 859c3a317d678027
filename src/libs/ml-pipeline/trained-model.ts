/**
 * The model kinds a training run can produce. All of them are served in Haven's tree format (GbdtModel), so one
 * predictor, one audit and one exporter cover every kind; the kind says how the trees were obtained:
 *  - `gbdt`: Haven's gradient-boosted trees (no formal privacy guarantee; audited);
 *  - `dp-gbdt`: differentially private boosted trees (dp-gbdt.ts);
 *  - `dp-linear`: a differentially private linear model written as trees (dp-linear.ts, linear-as-trees.ts).
 */
import type { GbdtModel } from '../ml/gbdt-model.js';

/** Names of the model kinds. */
export const MODEL_KINDS = ['gbdt', 'dp-gbdt', 'dp-linear'] as const;
/** A model kind. */
export type ModelKind = (typeof MODEL_KINDS)[number];

/** A trained model with its kind. */
export interface TrainedModel {
  readonly kind: ModelKind;
  readonly model: GbdtModel;
}

/**
 * Whether a value names a model kind.
 * @param v - candidate
 */
export function isModelKind(v: unknown): v is ModelKind {
  return typeof v === 'string' && (MODEL_KINDS as readonly string[]).includes(v);
}
