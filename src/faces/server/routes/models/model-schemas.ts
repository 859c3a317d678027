import { WORKSPACE_PARAMS as WS_PARAMS } from '../workspace-params.js';

/** URL parameter and response schemas of the training and model routes. */
export const RUN_PARAMS = {
  ...WS_PARAMS,
  required: ['workspace', 'run'],
  properties: { ...WS_PARAMS.properties, run: { type: 'integer', minimum: 1 } },
} as const;
export const MODEL_NAME = { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' } as const;
export const MODEL_PARAMS = { ...WS_PARAMS, required: ['workspace', 'model'], properties: { ...WS_PARAMS.properties, model: MODEL_NAME } } as const;
export const MODEL_VERSION_PARAMS = {
  ...WS_PARAMS,
  required: ['workspace', 'model', 'version'],
  properties: { ...WS_PARAMS.properties, model: MODEL_NAME, version: { type: 'integer', minimum: 1 } },
} as const;

const ANY_OBJECT = { type: 'object', additionalProperties: true } as const;
const NULLABLE_STRING = { type: ['string', 'null'] } as const;

export const RUN_VIEW = {
  type: 'object',
  additionalProperties: false,
  required: [
    'run',
    'status',
    'dataset',
    'datasetVersion',
    'datasetSha256',
    'target',
    'kind',
    'params',
    'seed',
    'threads',
    'havenVersion',
    'progress',
    'results',
    'errorCode',
    'model',
    'createdBy',
    'createdAt',
    'startedAt',
    'finishedAt',
  ],
  properties: {
    run: { type: 'integer' },
    status: { type: 'string' },
    dataset: { type: 'string' },
    datasetVersion: { type: 'integer' },
    datasetSha256: { type: 'string' },
    target: { type: 'string' },
    kind: { type: 'string' },
    params: ANY_OBJECT,
    seed: { type: 'integer' },
    threads: { type: 'integer' },
    havenVersion: { type: 'string' },
    progress: { anyOf: [{ type: 'null' }, ANY_OBJECT] },
    results: { anyOf: [{ type: 'null' }, ANY_OBJECT] },
    errorCode: NULLABLE_STRING,
    model: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version'],
      properties: { name: { type: 'string' }, version: { type: ['integer', 'null'] } },
    },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    startedAt: NULLABLE_STRING,
    finishedAt: NULLABLE_STRING,
  },
} as const;

export const MODEL_VIEW = {
  type: 'object',
  additionalProperties: false,
  required: [
    'name',
    'version',
    'format',
    'stage',
    'createdBy',
    'createdAt',
    'approvedBy',
    'approvedAt',
    'gateOverridden',
    'retiredAt',
    'signKeyId',
    'artifactSha256',
    'card',
  ],
  properties: {
    name: { type: 'string' },
    version: { type: 'integer' },
    format: { type: 'string' },
    stage: { type: 'string' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    approvedBy: NULLABLE_STRING,
    approvedAt: NULLABLE_STRING,
    gateOverridden: { type: 'boolean' },
    retiredAt: NULLABLE_STRING,
    signKeyId: { type: 'string' },
    artifactSha256: { type: 'string' },
    card: ANY_OBJECT,
  },
} as const;

const OOD_REASON = {
  type: 'object',
  additionalProperties: false,
  required: ['feature', 'kind'],
  properties: { feature: NULLABLE_STRING, kind: { type: 'string' } },
} as const;

export const SCORING_RESULT = {
  type: 'object',
  additionalProperties: false,
  required: ['model', 'predictions', 'budget'],
  properties: {
    model: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version'],
      properties: { name: { type: 'string' }, version: { type: 'integer' } },
    },
    predictions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['prediction', 'interval', 'ood'],
        properties: {
          prediction: { type: 'number' },
          interval: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
          ood: {
            type: 'object',
            additionalProperties: false,
            required: ['flagged', 'reasons'],
            properties: { flagged: { type: 'boolean' }, reasons: { type: 'array', items: OOD_REASON } },
          },
        },
      },
    },
    budget: {
      type: 'object',
      additionalProperties: false,
      required: ['used', 'limit', 'windowStart'],
      properties: { used: { type: 'integer' }, limit: { type: ['integer', 'null'] }, windowStart: { type: 'string' } },
    },
  },
} as const;

/** The prediction stored with an admission, as returned with the encounter. */
export const ADMISSION_PREDICTION = {
  anyOf: [
    { type: 'null' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['status', 'model', 'predictedLengthOfStay', 'interval', 'outOfDistribution', 'oodReasons', 'errorCode', 'scoredAt'],
      properties: {
        status: { type: 'string' },
        model: {
          anyOf: [
            { type: 'null' },
            {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'version'],
              properties: { name: { type: 'string' }, version: { type: 'integer' } },
            },
          ],
        },
        predictedLengthOfStay: { type: ['number', 'null'] },
        interval: { anyOf: [{ type: 'null' }, { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 }] },
        outOfDistribution: { type: 'boolean' },
        oodReasons: { type: 'array', items: OOD_REASON },
        errorCode: NULLABLE_STRING,
        scoredAt: { type: 'string' },
      },
    },
  ],
} as const;
