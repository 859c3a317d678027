/**
 * Fixtures for the key-coverage tests: CSV slices of the real sample with quarantined lines, FHIR admissions with
 * chosen names, and two independent views of every stored field ciphertext read straight from the database
 * (bypassing Haven's services, so a store the services forget is still found).
 */
import { readFileSync } from 'node:fs';
import { decodeFieldCiphertext } from '../../src/libs/crypto/field-cipher.js';
import type { CellRef } from '../../src/libs/crypto/field-cipher.js';
import { rawQuery, rawTextValues, type DatabaseTarget } from '../helpers/raw-sql.js';

type Target = DatabaseTarget | { dataDir: string; instance: { config: { database: DatabaseTarget['database'] } } };

const SAMPLE_LINES = readFileSync(new URL('../../../shared/data/los-10k.csv', import.meta.url), 'utf8').split('\n');
/** The sample's header line. */
export const SAMPLE_HEADER = SAMPLE_LINES[0]!.trim();
const COLUMNS = SAMPLE_HEADER.split(',');

/**
 * A CSV of sample rows [from, to) (1-based data rows), names optionally replaced, plus lines with a wrong column
 * count (quarantined) appended.
 * @param from - first data row
 * @param to - end (exclusive)
 * @param opts - names per row index (First/Middle/Last), extra bad lines
 */
export function sampleCsv(from: number, to: number, opts: { names?: (i: number) => [string, string, string]; badLines?: readonly string[] } = {}): string {
  const lines = [SAMPLE_HEADER];
  for (let i = from; i < to; i++) {
    const cells = SAMPLE_LINES[i]!.trim().split(',');
    if (opts.names) {
      const [first, middle, last] = opts.names(i);
      cells[COLUMNS.indexOf('First')] = first;
      cells[COLUMNS.indexOf('Middle')] = middle;
      cells[COLUMNS.indexOf('Last')] = last;
    }
    lines.push(cells.join(','));
  }
  lines.push(...(opts.badLines ?? []));
  return `${lines.join('\n')}\n`;
}

/**
 * The reference admission message (legacy shape) with another encounter id and names.
 * @param eid - encounter id
 * @param names - given, middle, family
 */
export function admission(eid: number, names: [string, string, string]): Record<string, unknown> {
  const msg = JSON.parse(readFileSync(new URL('../../../shared/fhir/admit_100001.json', import.meta.url), 'utf8')) as {
    patient: { name: { given: string[]; family: string }[] };
    encounter: { id: number };
  };
  msg.patient.name[0]!.given = [names[0], names[1]];
  msg.patient.name[0]!.family = names[2];
  msg.encounter.id = eid;
  return msg as unknown as Record<string, unknown>;
}

/** A field ciphertext found in the database, with the cell it must be bound to. */
export interface StoredCiphertext {
  /** Which store and where, e.g. `rows:<version id>:<row>:Last` (no values). */
  readonly place: string;
  readonly store: 'rows' | 'quarantine' | 'encounters' | 'vault';
  readonly cell: CellRef;
  readonly text: string;
}

/**
 * Every field ciphertext of the known stores, read with SQL and bound to its cell by the formats the services
 * document: row `e` cells and quarantine raw text (record id `<version>:<row>`), encounter names (dataset
 * `encounters`, record id = encounter row id) and vault cells.
 * @param t - the instance's data directory and database settings
 */
export async function storedCiphertexts(t: Target): Promise<StoredCiphertext[]> {
  const datasets = new Map((await rawQuery(t, 'select id, workspace_id from dataset')).map((r) => [String(r.id), String(r.workspace_id)]));
  const versions = new Map(
    (await rawQuery(t, 'select id, dataset_id, version from dataset_version')).map((r) => [
      String(r.id),
      { dataset: String(r.dataset_id), version: Number(r.version) },
    ]),
  );
  const out: StoredCiphertext[] = [];
  const where = (versionId: string) => {
    const v = versions.get(versionId)!;
    return { workspace: datasets.get(v.dataset)!, dataset: v.dataset, version: v.version };
  };
  for (const r of await rawQuery(t, 'select version_id, row_no, data from dataset_row order by version_id, row_no')) {
    const w = where(String(r.version_id));
    const doc = JSON.parse(String(r.data)) as { e: Record<string, string> };
    for (const [column, text] of Object.entries(doc.e)) {
      const recordId = `${w.version}:${Number(r.row_no)}`;
      out.push({
        place: `rows:${String(r.version_id)}:${Number(r.row_no)}:${column}`,
        store: 'rows',
        cell: { workspace: w.workspace, dataset: w.dataset, column, recordId },
        text,
      });
    }
  }
  for (const r of await rawQuery(t, 'select version_id, row_no, raw from quarantine_row order by version_id, row_no')) {
    const w = where(String(r.version_id));
    const recordId = `${w.version}:${Number(r.row_no)}`;
    out.push({
      place: `quarantine:${String(r.version_id)}:${Number(r.row_no)}`,
      store: 'quarantine',
      cell: { workspace: w.workspace, dataset: w.dataset, column: '_raw', recordId },
      text: String(r.raw),
    });
  }
  for (const r of await rawQuery(t, 'select id, workspace_id, names from encounter order by id')) {
    for (const [column, text] of Object.entries(JSON.parse(String(r.names)) as Record<string, string>)) {
      const cell = { workspace: String(r.workspace_id), dataset: 'encounters', column, recordId: String(r.id) };
      out.push({ place: `encounters:${String(r.id)}:${column}`, store: 'encounters', cell, text });
    }
  }
  for (const r of await rawQuery(t, 'select workspace, dataset, column_name, record_id, ciphertext from protected_field')) {
    const cell = { workspace: String(r.workspace), dataset: String(r.dataset), column: String(r.column_name), recordId: String(r.record_id) };
    out.push({ place: `vault:${cell.workspace}:${cell.dataset}:${cell.column}:${cell.recordId}`, store: 'vault', cell, text: String(r.ciphertext) });
  }
  return out;
}

/** A dataset-key field ciphertext found anywhere in the database by a blind scan. */
export interface FoundCiphertext {
  readonly table: string;
  readonly column: string;
  readonly keyId: string;
  readonly keyVersion: number;
}

const TOKEN_RE = /[A-Za-z0-9_-]{47,}/g;

/**
 * Blind scan: every base64url token in every text value of every table that decodes as a field ciphertext under a
 * dataset key (`ds.*`) — whatever table or JSON document it sits in.
 * @param t - the instance's data directory and database settings
 */
export async function scanFieldCiphertexts(t: Target): Promise<FoundCiphertext[]> {
  const found: FoundCiphertext[] = [];
  for (const { table, column, value } of await rawTextValues(t)) {
    for (const token of value.match(TOKEN_RE) ?? []) {
      const bytes = Buffer.from(token, 'base64url');
      if (bytes.toString('base64url') !== token) {
        continue;
      }
      try {
        const parts = decodeFieldCiphertext(bytes);
        if (parts.keyId.startsWith('ds.')) {
          found.push({ table, column, keyId: parts.keyId, keyVersion: parts.keyVersion });
        }
      } catch {
        // not a field ciphertext
      }
    }
  }
  return found;
}
