import { HavenError } from '../../errors/haven-error.js';
import { dataKeyLabel, workspaceKekLabel } from '../../libs/crypto/key-wrap.js';
import type { KeyLabel } from '../../libs/crypto/key-wrap.js';

/**
 * Names in the key hierarchy. Workspace, dataset and blob ids become part of key ids (which the crypto formats
 * limit to 64 characters of [A-Za-z0-9._:-]), so they are checked here; ':' is reserved for system names.
 */

/** The workspace that holds instance-level keys (signing seeds). User workspace ids cannot contain ':'. */
export const SYSTEM_WORKSPACE = ':system';

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$/;

/**
 * Check a workspace, dataset or blob id (1..48 chars of [A-Za-z0-9._-], starting with a letter or digit).
 * @param id - the id
 * @param what - which kind of id (for the error detail)
 */
export function assertId(id: string, what: 'workspace' | 'dataset' | 'blob' | 'purpose'): void {
  if (typeof id !== 'string' || !ID_RE.test(id)) {
    throw new HavenError('HAVEN_KEYS_INVALID_ID', undefined, { detail: { argument: what } });
  }
}

/**
 * Check a workspace id, allowing the system workspace.
 * @param workspace - the id
 */
export function assertWorkspace(workspace: string): void {
  if (workspace !== SYSTEM_WORKSPACE) {
    assertId(workspace, 'workspace');
  }
}

/** Key id of a workspace's KEK. */
export function kekId(workspace: string): string {
  return workspaceKekLabel(workspace, 1).id;
}

/** Key id of a dataset's DEK. */
export function datasetKeyId(dataset: string): string {
  return dataKeyLabel('dataset-dek', dataset, 1).id;
}

/** Key id of a workspace's pseudonym key. */
export function pseudonymKeyId(workspace: string): string {
  return dataKeyLabel('pseudonym-key', workspace, 1).id;
}

/** Key id of a blob's DEK. */
export function blobKeyId(blobId: string): string {
  return dataKeyLabel('artifact-dek', blobId, 1).id;
}

/** Key id of the seed of a signing key purpose. */
export function signingSeedKeyId(purpose: string): string {
  return dataKeyLabel('artifact-dek', `sig-${purpose}`, 1).id;
}

/**
 * The label of a stored key version (purpose as stored).
 * @param keyId - key id
 * @param purpose - stored purpose
 * @param version - version
 */
export function labelOf(keyId: string, purpose: string, version: number): KeyLabel {
  return { id: keyId, purpose: purpose as KeyLabel['purpose'], version };
}
