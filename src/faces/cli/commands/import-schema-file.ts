import { readFileSync, statSync } from 'node:fs';
import { HavenError } from '../../../errors/haven-error.js';
import { parseDeclaredSchema } from '../../../services/ingest/declared-schema.js';

/**
 * The query parameter holds the schema, and the server refuses a request head over 16 KiB (431, before Haven sees
 * it): the file and its URL-encoded form are kept to 12 KiB.
 */
const MAX_SCHEMA_FILE_BYTES = 12 * 1024;
const MAX_ENCODED_CHARS = 12 * 1024;

/**
 * Read `haven import --schema FILE`: a declared schema as JSON, checked here (a bad schema never costs an upload) and
 * returned minified for the `schema` query parameter.
 * @param file - the JSON file
 */
export function readDeclaredSchemaFile(file: string): string {
  let text: string;
  try {
    if (statSync(file).size > MAX_SCHEMA_FILE_BYTES) {
      throw new HavenError('HAVEN_INGEST_SCHEMA_INVALID', undefined, { detail: { column: 0, field: 'size' } });
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof HavenError) {
      throw err;
    }
    throw new HavenError('HAVEN_USAGE', 'cannot read the schema file given with --schema');
  }
  parseDeclaredSchema(text);
  const minified = JSON.stringify(JSON.parse(text));
  if (encodeURIComponent(minified).length > MAX_ENCODED_CHARS) {
    throw new HavenError('HAVEN_INGEST_SCHEMA_INVALID', undefined, { detail: { column: 0, field: 'size' } });
  }
  return minified;
}
