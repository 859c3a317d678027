import { HavenError } from '../../../errors/haven-error.js';
import { optObject, optString, type JsonObject } from './fhir-json.js';

/**
 * Refuses a resource whose `subject.reference` names another patient (`Patient/x` when the message's patient is
 * `Patient/y`): one message must not carry another patient's data. Non-Patient references (urn:uuid) are left alone.
 * @param r - the resource
 * @param path - its path
 * @param expected - `Patient/<id>` of the message's patient, or undefined when unknown
 */
export function checkSubject(r: JsonObject, path: string, expected: string | undefined): void {
  if (expected === undefined) {
    return;
  }
  const subj = optObject(r, 'subject', path);
  const ref = subj === undefined ? undefined : optString(subj, 'reference', `${path}.subject`);
  if (ref !== undefined && ref.startsWith('Patient/') && ref !== expected) {
    throw new HavenError('HAVEN_FHIR_INVALID_FIELD', 'resource refers to a different patient', { detail: { path: `${path}.subject.reference` } });
  }
}
