import { checkSubject } from './check-subject.js';
import { IGNORED_OBSERVATION_STATUS, LOINC_SYSTEM, LOINC_TO_COLUMN, type ObservationColumn } from './fhir-codes.js';
import { codings, invalidField, optObject, optString, own, type JsonObject } from './fhir-json.js';
import type { Located } from './collect-resources.js';
import type { MappingNote, UnknownCode } from './mapping-report.js';

/** Observation values by column; a column with no observation is absent here (null in the record). */
export type ObservationValues = Partial<Record<ObservationColumn, number>>;

function numericValue(r: JsonObject, path: string): number | undefined {
  const q = optObject(r, 'valueQuantity', path);
  if (q !== undefined) {
    const v = own(q, 'value');
    if (v === undefined || v === null) {
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw invalidField(`${path}.valueQuantity.value`);
    }
    return v;
  }
  const vi = own(r, 'valueInteger');
  if (vi === undefined || vi === null) {
    return undefined;
  }
  if (typeof vi !== 'number' || !Number.isSafeInteger(vi)) {
    throw invalidField(`${path}.valueInteger`);
  }
  return vi;
}

function unitOf(r: JsonObject, path: string): string | undefined {
  const q = optObject(r, 'valueQuantity', path);
  if (q === undefined) {
    return undefined;
  }
  return (optString(q, 'code', `${path}.valueQuantity`) ?? optString(q, 'unit', `${path}.valueQuantity`))?.trim();
}

/**
 * Maps LOINC observations to columns. The code must be LOINC by system AND code; the first observation per column
 * wins (later ones are noted); values are never converted (a wrong unit is noted, not "fixed": the reference's demo
 * glucose says mmol/L but holds mg/dL). Entered-in-error/cancelled observations are skipped.
 * @param obs - the Observation resources
 * @param patientRef - `Patient/<id>` all observations must refer to
 * @param unknown - collects codes not in the table
 * @param notes - collects notes
 */
export function mapObservations(obs: readonly Located[], patientRef: string | undefined, unknown: UnknownCode[], notes: MappingNote[]): ObservationValues {
  const out: ObservationValues = {};
  for (const { resource: r, path } of obs) {
    checkSubject(r, path, patientRef);
    const status = optString(r, 'status', path);
    const cs = codings(r, 'code', path);
    const hit = cs.find((c) => c.system === LOINC_SYSTEM && c.code !== null && Object.hasOwn(LOINC_TO_COLUMN, c.code));
    if (hit === undefined) {
      for (const c of cs.length > 0 ? cs : [{ system: null, code: null }]) {
        unknown.push({ system: c.system, code: c.code, resourceType: 'Observation' });
      }
      continue;
    }
    const m = LOINC_TO_COLUMN[hit.code!]!;
    if (status !== undefined && (IGNORED_OBSERVATION_STATUS as readonly string[]).includes(status)) {
      notes.push({ kind: 'ignored_status', column: m.column, path });
      continue;
    }
    let v = numericValue(r, path);
    if (v === undefined) {
      notes.push({ kind: 'no_value', column: m.column, path });
      continue;
    }
    const unit = unitOf(r, path);
    if (m.units.length > 0 && unit !== undefined && !m.units.includes(unit)) {
      notes.push({ kind: 'unexpected_unit', column: m.column, path });
    }
    if (out[m.column] !== undefined) {
      notes.push({ kind: 'duplicate_observation', column: m.column, path });
      continue;
    }
    if (m.integer && !Number.isInteger(v)) {
      v = Math.round(v);
      notes.push({ kind: 'rounded', column: m.column, path });
    }
    if (m.column === 'secondarydiagnosisnonicd9' && v < 0) {
      throw invalidField(`${path}.value`);
    }
    out[m.column] = v;
  }
  return out;
}
