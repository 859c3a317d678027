import { FACILITIES, FLAG_COLUMNS } from '../../../../libs/formats/fhir/los-record.js';
import { MONTH_PATTERN } from '../../../../libs/stay-reports/stay-filter.js';
import { WORKSPACE_PARAMS } from '../workspace-params.js';

/** Query and response schemas of the report routes. Responses are closed (`additionalProperties: false`). */

export const ACTUAL_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    facility: { type: 'string', enum: [...FACILITIES] },
    from: { type: 'string', pattern: MONTH_PATTERN },
    to: { type: 'string', pattern: MONTH_PATTERN },
  },
} as const;

export const FACILITY_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { facility: { type: 'string', enum: [...FACILITIES] } },
} as const;

export const REPORT_PARAMS = WORKSPACE_PARAMS;

const NUM = { type: ['number', 'null'] } as const;
const INT = { type: ['integer', 'null'] } as const;
const FACILITY_KEY = { type: 'string', enum: [...FACILITIES, 'unknown'] } as const;
const FIGURE = { type: 'object', additionalProperties: false, required: ['count', 'mean'], properties: { count: INT, mean: NUM } } as const;
const list = <T>(items: T) => ({ type: 'array', items }) as const;

const FILTER = {
  type: 'object',
  additionalProperties: false,
  properties: { facility: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
} as const;

const DISCLOSURE = {
  type: 'object',
  additionalProperties: false,
  required: ['applied', 'threshold', 'roundingBase', 'dominance', 'suppressed'],
  properties: {
    applied: { type: 'boolean' },
    threshold: { type: 'integer' },
    roundingBase: { type: 'integer' },
    dominance: { type: 'object', additionalProperties: false, required: ['n', 'k'], properties: { n: { type: 'integer' }, k: { type: 'number' } } },
    suppressed: {
      type: 'object',
      additionalProperties: false,
      required: ['primary', 'secondary'],
      properties: { primary: { type: 'integer' }, secondary: { type: 'integer' } },
    },
  },
} as const;

/** A section: `status` says whether it was released; a refused section carries only its code and the threshold. */
function section<P extends Record<string, unknown>>(properties: P) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['status'],
    properties: { status: { type: 'string', enum: ['released', 'refused'] }, code: { type: 'string' }, threshold: { type: 'integer' }, ...properties },
  } as const;
}

const ERROR_ROW = {
  type: 'object',
  additionalProperties: false,
  required: ['facility', 'count', 'meanPredicted', 'meanActual', 'meanAbsoluteError'],
  properties: { facility: { type: 'string' }, count: INT, meanPredicted: NUM, meanActual: NUM, meanAbsoluteError: NUM },
} as const;

export const ACTUAL_REPORT = {
  type: 'object',
  additionalProperties: false,
  required: ['filter', 'disclosure', 'discharged'],
  properties: {
    filter: FILTER,
    disclosure: DISCLOSURE,
    discharged: section({
      months: list({ type: 'string' }),
      facilities: list(FACILITY_KEY),
      total: FIGURE,
      cells: list(list(FIGURE)),
      byFacility: list(FIGURE),
      byMonth: list(FIGURE),
      byCondition: list({
        type: 'object',
        additionalProperties: false,
        required: ['condition', 'figure'],
        properties: { condition: { type: 'string', enum: [...FLAG_COLUMNS, 'none'] }, figure: FIGURE },
      }),
      occupancy: list({
        type: 'object',
        additionalProperties: false,
        required: ['facility', 'capacity', 'averageDailyCensus', 'percentOfCapacity'],
        properties: { facility: { type: 'string' }, capacity: { type: 'integer' }, averageDailyCensus: NUM, percentOfCapacity: INT },
      }),
      periodDays: { type: 'integer' },
    }),
  },
} as const;

export const PREDICTED_REPORT = {
  type: 'object',
  additionalProperties: false,
  required: ['filter', 'disclosure', 'inHospital', 'discharged'],
  properties: {
    filter: FILTER,
    disclosure: DISCLOSURE,
    inHospital: section({
      patients: FIGURE,
      scored: INT,
      failed: INT,
      outOfDistribution: INT,
      facilities: list(FACILITY_KEY),
      byFacility: list(FIGURE),
      predictedDays: list({ type: 'object', additionalProperties: false, required: ['day', 'count'], properties: { day: { type: 'integer' }, count: INT } }),
    }),
    discharged: section({
      total: ERROR_ROW,
      byFacility: list(ERROR_ROW),
      errors: list({ type: 'object', additionalProperties: false, required: ['error', 'count'], properties: { error: { type: 'integer' }, count: INT } }),
      calibration: list({
        type: 'object',
        additionalProperties: false,
        required: ['predictedDay', 'count', 'meanActual'],
        properties: { predictedDay: { type: 'integer' }, count: INT, meanActual: NUM },
      }),
    }),
  },
} as const;

const NULLABLE_STRING = { type: ['string', 'null'] } as const;
const PATIENT = {
  type: 'object',
  additionalProperties: false,
  required: ['eid', 'facility', 'admitted', 'names', 'predicted', 'interval', 'outOfDistribution', 'oodFeatures', 'errorCode', 'actual'],
  properties: {
    eid: { type: 'integer' },
    facility: FACILITY_KEY,
    admitted: { type: 'string' },
    // Type lists, not anyOf: the serializer then picks the branch by type instead of validating each row.
    names: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['first', 'middle', 'last'],
      properties: { first: NULLABLE_STRING, middle: NULLABLE_STRING, last: NULLABLE_STRING },
    },
    predicted: NUM,
    interval: { type: ['array', 'null'], items: { type: 'number' }, minItems: 2, maxItems: 2 },
    outOfDistribution: { type: 'boolean' },
    oodFeatures: list({ type: 'string' }),
    errorCode: NULLABLE_STRING,
    actual: INT,
  },
} as const;

export const PATIENT_LIST = {
  type: 'object',
  additionalProperties: false,
  required: ['inHospital', 'discharged', 'truncated'],
  properties: { inHospital: list(PATIENT), discharged: list(PATIENT), truncated: { type: 'boolean' } },
} as const;
