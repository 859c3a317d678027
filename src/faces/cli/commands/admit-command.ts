import { openSync, closeSync, fstatSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { HavenError } from '../../../errors/haven-error.js';
import { bearerClientFrom, withConnectionOptions, type ConnectionOptions } from '../api-client.js';
import type { CliIo } from '../cli-context.js';

/** The server refuses JSON bodies over 1 MiB by default; refuse bigger files here before sending them. */
export const MAX_MESSAGE_BYTES = 1_048_576;

interface Summary {
  readonly eid: number;
  readonly vdate: string;
  readonly discharged: string | null;
  readonly lengthofstay: number | null;
}

type Opts = ConnectionOptions & { workspace: string; json?: boolean };

/**
 * Read and parse a FHIR message file (size-limited). Throws HAVEN_USAGE when it is unreadable, too big or not JSON;
 * the message never appears in the error.
 * @param file - path of the JSON file
 */
export function readMessageFile(file: string): unknown {
  let text: string;
  try {
    const fd = openSync(file, 'r');
    try {
      if (fstatSync(fd).size > MAX_MESSAGE_BYTES) {
        throw new HavenError('HAVEN_USAGE', 'the message file is larger than 1 MiB');
      }
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw err instanceof HavenError ? err : new HavenError('HAVEN_USAGE', 'cannot read the message file');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HavenError('HAVEN_USAGE', 'the message file is not valid JSON');
  }
}

const wsPath = (workspace: string, what: string): string => `/api/workspaces/${encodeURIComponent(workspace)}/${what}`;

/**
 * `haven admit FILE --workspace W` and `haven discharge FILE --workspace W`: a clinician posts a FHIR admission or
 * discharge message (R4 Bundle or the reference's plain object) with the token saved by `haven login`.
 * @param program - the root command
 * @param io - output and environment
 */
export function registerAdmitCommands(program: Command, io: CliIo): void {
  withConnectionOptions(
    program
      .command('admit')
      .description('admit a patient from a FHIR admission message (clinician)')
      .argument('<file>', 'the admission message (JSON: an R4 Bundle or {patient, encounter, observations, conditions})')
      .requiredOption('--workspace <name>', 'workspace to admit into')
      .option('--json', 'print the whole answer as JSON'),
  ).action(async (file: string, opts: Opts) => {
    const message = readMessageFile(file);
    const { client, token } = bearerClientFrom(opts, io.env);
    const res = (await client.call('POST', wsPath(opts.workspace, 'admissions'), message, { bearer: token })).json as {
      encounter: Summary;
      unknownCodes: unknown[];
      notes: { kind: string; column: string | null }[];
    };
    if (opts.json) {
      io.out(JSON.stringify(res));
      return;
    }
    io.out(`admitted encounter ${res.encounter.eid} (admission date ${res.encounter.vdate}); ${res.unknownCodes.length} unknown codes, ${res.notes.length} notes`);
    for (const n of res.notes) {
      io.out(`  note: ${n.kind}${n.column ? ` (${n.column})` : ''}`);
    }
  });
  withConnectionOptions(
    program
      .command('discharge')
      .description('discharge an admitted encounter from a FHIR discharge message (clinician)')
      .argument('<file>', 'the discharge message (JSON with the Encounter and its period.end)')
      .requiredOption('--workspace <name>', 'workspace of the encounter')
      .option('--json', 'print the whole answer as JSON'),
  ).action(async (file: string, opts: Opts) => {
    const message = readMessageFile(file);
    const { client, token } = bearerClientFrom(opts, io.env);
    const res = (await client.call('POST', wsPath(opts.workspace, 'discharges'), message, { bearer: token })).json as { encounter: Summary };
    if (opts.json) {
      io.out(JSON.stringify(res));
      return;
    }
    const e = res.encounter;
    io.out(`discharged encounter ${e.eid} on ${e.discharged ?? '?'}: length of stay ${e.lengthofstay ?? '?'} days`);
  });
}
