import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, existsSync, openSync, renameSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { HavenError } from '../../../errors/haven-error.js';
import type { DeidExportReport } from '../../../services/ingest/deidentified-export.js';
import { DEID_COUNTS_TRAILER, DEID_PLAN_HEADER, decodeDeidReport } from '../../../services/ingest/deidentified-export-wire.js';
import { apiClientOptionsFrom, errorFromResponse, withConnectionOptions, type ApiClientOptions, type ConnectionOptions } from '../api-client.js';
import type { CliIo } from '../cli-context.js';
import { readTokenFile, tokenFilePath } from '../credentials-file.js';
import { formatTable } from '../table.js';
import { versionPath } from './dataset-command.js';

const IDLE_TIMEOUT_MS = 300_000;
const MAX_ERROR_BYTES = 64 * 1024;
/** The plan header can be up to 64 KiB (a wide table); Node's default limit is 16 KiB. */
const MAX_HEADER_BYTES = 256 * 1024;

interface ExportOptions extends ConnectionOptions {
  readonly workspace: string;
  readonly dataset: string;
  readonly version: string;
  readonly deidentified?: boolean;
  readonly out: string;
  readonly dates?: string;
  readonly patientColumn?: string;
  readonly json?: boolean;
}

function transportError(err: unknown): HavenError {
  if (err instanceof HavenError) {
    return err;
  }
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code.includes('CERT') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return new HavenError('HAVEN_CLI_TLS_UNTRUSTED', undefined, { detail: { reason: code } });
  }
  return new HavenError('HAVEN_CLI_SERVER_UNREACHABLE', undefined, { detail: { reason: code || 'network' } });
}

/**
 * GET a CSV export into a file (0600, written whole to a temporary name in the same directory, then renamed), and
 * return the report from the trailer. A refusal is the server's coded error; a download cut short leaves no file.
 */
function download(opts: ApiClientOptions, path: string, token: string, target: string): Promise<DeidExportReport> {
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  return new Promise<DeidExportReport>((resolvePromise, reject) => {
    const fail = (err: unknown) => {
      rmSync(tmp, { force: true });
      reject(err);
    };
    const req = httpsRequest(
      new URL(opts.server + path),
      {
        method: 'GET',
        headers: { accept: 'text/csv', authorization: `Bearer ${token}` },
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
        ...(opts.ca ? { ca: opts.ca } : {}),
        timeout: IDLE_TIMEOUT_MS,
        maxHeaderSize: MAX_HEADER_BYTES,
      },
      (res) => {
        if (res.statusCode !== 200) {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= MAX_ERROR_BYTES) {
              chunks.push(c);
            }
          });
          res.on('end', () => {
            let json: unknown = null;
            try {
              json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              json = null;
            }
            reject(errorFromResponse({ status: res.statusCode ?? 0, json, setCookie: [] }));
          });
          res.on('error', (err) => reject(transportError(err)));
          return;
        }
        let file: ReturnType<typeof createWriteStream>;
        try {
          closeSync(openSync(tmp, 'wx', 0o600));
          file = createWriteStream(tmp, { flags: 'w', mode: 0o600 });
        } catch {
          res.destroy();
          reject(new HavenError('HAVEN_USAGE', 'cannot write the output file: check the directory exists and is writable'));
          return;
        }
        let complete = false;
        res.on('end', () => (complete = true));
        res.on('aborted', () => file.destroy(new HavenError('HAVEN_CLI_SERVER_UNREACHABLE', undefined, { detail: { reason: 'aborted' } })));
        res.on('error', (err) => file.destroy(transportError(err)));
        file.on('error', (err) => fail(err instanceof HavenError ? err : new HavenError('HAVEN_USAGE', 'cannot write the output file')));
        file.on('finish', () => {
          // The counts trailer comes after the last row: without it the download is incomplete.
          const counts = res.trailers[DEID_COUNTS_TRAILER];
          const plan = res.headers[DEID_PLAN_HEADER];
          if (!complete || typeof counts !== 'string' || counts === '' || typeof plan !== 'string') {
            fail(new HavenError('HAVEN_CLI_BAD_RESPONSE', undefined, { detail: { reason: 'incomplete' } }));
            return;
          }
          let report: DeidExportReport;
          try {
            report = decodeDeidReport(plan, counts);
          } catch {
            fail(new HavenError('HAVEN_CLI_BAD_RESPONSE', undefined, { detail: { reason: 'report' } }));
            return;
          }
          try {
            if (existsSync(target)) {
              throw new Error('exists');
            }
            renameSync(tmp, target);
          } catch {
            fail(new HavenError('HAVEN_USAGE', 'the output file appeared while exporting; nothing was overwritten'));
            return;
          }
          resolvePromise(report);
        });
        res.pipe(file);
      },
    );
    req.on('timeout', () => req.destroy(new HavenError('HAVEN_CLI_SERVER_UNREACHABLE', undefined, { detail: { reason: 'timeout' } })));
    req.on('error', (err) => fail(transportError(err)));
    req.end();
  });
}

/**
 * The report for people: where the file went, what happened to each kind of column, and the counts.
 * @param r - the export report
 * @param out - the file written
 */
export function formatExportReport(r: DeidExportReport, out: string): string[] {
  const list = (xs: readonly string[]) => (xs.length === 0 ? '-' : xs.join(', '));
  const changed = r.perColumn.filter((c) => c.action !== 'keep');
  return [
    `exported ${r.dataset} version ${r.version} de-identified: ${r.rows} rows${r.listsOmitted ? '' : `, ${r.columns.length} columns`} → ${out} (mode 0600)`,
    `dates: ${r.dates === 'shift' ? `shifted per patient (key: ${r.patientColumn ?? '-'}, up to ${r.maxShiftDays ?? 0} days)` : 'year only'}; birth years up to ${r.referenceYear - 90} top-coded`,
    ...(r.listsOmitted
      ? ['column lists omitted: the table is too wide to list them here']
      : [
          `dropped: ${list(r.dropped)}`,
          `generalised: ${list(r.generalised)}`,
          `shifted: ${list(r.shifted)}`,
          `export codes: ${list(r.pseudonymised)}`,
          `kept: ${list(r.kept)}`,
        ]),
    `values changed ${r.totals.changed}, suppressed ${r.totals.suppressed}, top-coded ${r.totals.topCoded}, restricted ZIP3 → 000: ${r.totals.restrictedZip}`,
    '',
    ...formatTable(
      ['COLUMN', 'LABEL/KIND', 'ACTION', 'CHANGED', 'SUPPRESSED', 'TOP-CODED', 'ZIP3 000'],
      changed.map((c) => [
        c.column,
        c.kind ? `${c.label}/${c.kind}` : c.label,
        c.action,
        String(c.changed),
        String(c.suppressed),
        String(c.topCoded),
        String(c.restrictedZip),
      ]),
    ),
  ];
}

/** `haven export --deidentified`: a dataset version de-identified by the Safe Harbor transforms, written to a 0600 file. */
export function registerExportCommand(program: Command, io: CliIo): void {
  withConnectionOptions(
    program
      .command('export')
      .description('export a dataset version de-identified (HIPAA Safe Harbor transforms) to a CSV file readable only by you (data steward)')
      .requiredOption('--workspace <name>', 'workspace name')
      .requiredOption('--dataset <name>', 'dataset name')
      .requiredOption('--version <n>', 'version number')
      .option('--deidentified', 'apply the Safe Harbor transforms (required: Haven exports nothing else)')
      .requiredOption('--out <file>', 'the CSV file to write (must not exist)')
      .option('--dates <mode>', 'year (default): dates to the year; shift: dates shifted per patient by a keyed offset')
      .option('--patient-column <name>', 'with --dates shift: the pseudonymised column naming the patient (default: an MRN column, else the first)')
      .option('--json', 'print the report as JSON'),
  ).action(async (opts: ExportOptions) => {
    // Checked before anything else, so a mistake never costs a round trip (or a token read).
    if (!opts.deidentified) {
      throw new HavenError('HAVEN_USAGE', 'only de-identified exports exist: add --deidentified');
    }
    if (opts.dates !== undefined && opts.dates !== 'year' && opts.dates !== 'shift') {
      throw new HavenError('HAVEN_USAGE', '--dates is year or shift');
    }
    const out = resolve(opts.out);
    if (existsSync(out)) {
      throw new HavenError('HAVEN_USAGE', 'the output file exists; choose another name (nothing is overwritten)');
    }
    const query = new URLSearchParams({ deidentified: 'true' });
    if (opts.dates !== undefined) {
      query.set('dates', opts.dates);
    }
    if (opts.patientColumn !== undefined) {
      query.set('patientColumn', opts.patientColumn);
    }
    const path = `${versionPath(opts)}/export?${query.toString()}`;
    const client = apiClientOptionsFrom(opts, io.env);
    const token = readTokenFile(tokenFilePath(opts.tokenFile, io.env));
    const report = await download(client, path, token, out);
    if (opts.json) {
      io.out(JSON.stringify(report));
      return;
    }
    for (const line of formatExportReport(report, out)) {
      io.out(line);
    }
  });
}
