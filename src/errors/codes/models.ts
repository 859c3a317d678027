import type { CodeEntry } from '../code-entry.js';

/** Codes of the models area: training runs, the model registry, approval, scoring and query budgets. */
export const MODEL_CODES = {
  HAVEN_TRAIN_DATASET_NOT_PUBLISHED: { status: 409, category: 'conflict', message: 'only a published dataset version can be trained on' },
  HAVEN_TRAIN_BAD_PARAM: { status: 400, category: 'usage', message: 'unknown or invalid training parameter' },
  HAVEN_TRAIN_INTERRUPTED: { status: 409, category: 'conflict', message: 'the training run was interrupted (the process stopped) and marked failed' },
  HAVEN_TRAIN_FAILED: { status: 500, category: 'internal', message: 'the training run failed unexpectedly' },
  HAVEN_TRAIN_NOT_RUNNING: { status: 409, category: 'conflict', message: 'the training run has already finished' },
  HAVEN_TRAIN_PRIVACY_TOO_NOISY: {
    status: 422,
    category: 'input',
    message: 'differentially private training found nothing of the target above the noise: the dataset is too small for the requested epsilon',
  },
  HAVEN_TRAIN_PRIVACY_CONFLICT: {
    status: 409,
    category: 'conflict',
    message: 'another training run changed the privacy budget of this dataset version at the same time; retry',
  },
  HAVEN_TRAIN_POISONING_UNACKNOWLEDGED: {
    status: 409,
    category: 'conflict',
    message: 'the dataset version was flagged by the poisoning screen; a steward must acknowledge it before training',
  },
  HAVEN_MODEL_NOT_FOUND: { status: 404, category: 'notFound', message: 'no such model version in this workspace' },
  HAVEN_MODEL_STAGE: { status: 409, category: 'conflict', message: 'the model is not in a stage that allows this' },
  HAVEN_MODEL_SELF_APPROVAL: { status: 403, category: 'auth', message: 'a model cannot be approved by the person who trained it' },
  HAVEN_MODEL_GATE_REFUSED: {
    status: 409,
    category: 'conflict',
    message: 'the privacy audit refused release; a steward may override with a reason',
  },
  HAVEN_MODEL_INTEGRITY: { status: 500, category: 'integrity', message: 'the model artifact failed its integrity check (signature, hash or decryption)' },
  HAVEN_MODEL_SIGNING_KEY_UNKNOWN: {
    status: 500,
    category: 'integrity',
    message: "the model's signing key is unknown or was destroyed; the model cannot be trusted",
  },
  HAVEN_MODEL_NOT_SERVABLE: { status: 409, category: 'conflict', message: 'the model is not approved for serving' },
  HAVEN_MODEL_NO_APPROVED: { status: 409, category: 'conflict', message: 'the workspace has no approved model of that name' },
  HAVEN_PREDICT_BAD_RECORD: { status: 400, category: 'input', message: 'a record to score is missing features or holds invalid values' },
  HAVEN_PREDICT_BATCH_TOO_LARGE: { status: 413, category: 'limit', message: 'too many records in one scoring request' },
  HAVEN_PREDICT_RATE_LIMITED: { status: 429, category: 'limit', message: 'too many records scored with this model in the last minute; try again shortly' },
  HAVEN_PREDICT_BUDGET_EXHAUSTED: { status: 429, category: 'limit', message: 'query budget for this model is exhausted' },
  HAVEN_PREDICT_OOD_REFUSED: { status: 422, category: 'input', message: 'a record is out of the training distribution and the policy refuses it' },
} as const satisfies Record<string, CodeEntry>;
