import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { Command } from 'commander';
import { HavenError } from '../../../errors/haven-error.js';
import { XLSX_MEDIA_TYPE } from '../../../libs/formats/upload-format.js';
import { hasZipMagic } from '../../../libs/formats/xlsx/zip-directory.js';
import { apiClientOptionsFrom, errorFromResponse, withConnectionOptions, type ApiClientOptions, type ApiResponse, type ConnectionOptions } from '../api-client.js';
import { processIo, type CliIo } from '../cli-context.js';
import { readTokenFile, tokenFilePath } from '../credentials-file.js';
import { formatProgressBar, formatProgressLine, meanLineLength, progressDue, type ProgressInput } from '../progress.js';
import { formatTable } from '../table.js';
import { readDeclaredSchemaFile } from './import-schema-file.js';

/** Socket idle limit: generous, since the server may hold the last bytes while it stores a large final batch. */
const IDLE_TIMEOUT_MS = 300_000;
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;
/** Terminal redraws are cheap but not free; plain lines are limited to one a second. */
const BAR_INTERVAL_MS = 100;
const LINE_INTERVAL_MS = 1000;
/** Erase to the end of the line, so a shorter frame leaves no tail of the previous one. */
const CLEAR_EOL = '\u001b[K';

/** The import report as the server sends it (the fields this command prints). */
interface ImportReportView {
  readonly dataset: string;
  readonly version: number;
  readonly status: string;
  readonly sha256: string;
  readonly rowsRead: number;
  readonly rowsStored: number;
  readonly rowsQuarantined: number;
  readonly classification: readonly { column: string; label: string; kind?: string; confidence: number }[];
  readonly handling: readonly { column: string; action: string }[];
}

interface ImportOptions extends ConnectionOptions {
  readonly workspace: string;
  readonly dataset: string;
  readonly gzip?: boolean;
  readonly sheet?: string;
  readonly schema?: string;
  readonly json?: boolean;
}

/** Where progress goes: a redrawn bar on a terminal, or plain periodic lines. */
interface ProgressSink {
  update(input: ProgressInput, nowMs: number): void;
  done(input: ProgressInput): void;
}

function progressSink(io: CliIo, tty: boolean): ProgressSink {
  let last: number | undefined;
  if (tty) {
    return {
      update(input, nowMs) {
        if (progressDue(last, nowMs, BAR_INTERVAL_MS)) {
          last = nowMs;
          process.stderr.write(`\r${formatProgressBar(input)}${CLEAR_EOL}`);
        }
      },
      done(input) {
        process.stderr.write(`\r${formatProgressBar(input)}${CLEAR_EOL}\n`);
      },
    };
  }
  return {
    update(input, nowMs) {
      if (progressDue(last, nowMs, LINE_INTERVAL_MS)) {
        last = nowMs;
        io.err(formatProgressLine(input));
      }
    },
    done(input) {
      io.err(formatProgressLine(input));
    },
  };
}

/**
 * Stream a file as the request body (never buffered whole) and parse the JSON answer. The server may answer before
 * the upload ends (a refused token, a duplicate); then reading stops and the answer wins over the broken pipe.
 */
function uploadFile(opts: ApiClientOptions, path: string, file: string, size: number, contentType: string, token: string, sink: ProgressSink): Promise<ApiResponse> {
  const url = new URL(opts.server + path);
  const headers = { accept: 'application/json', 'content-type': contentType, 'content-length': String(size), authorization: `Bearer ${token}` };
  const started = Date.now();
  let sent = 0;
  let meanLine: number | undefined;
  const input = (): ProgressInput => ({ sentBytes: sent, totalBytes: size, elapsedMs: Date.now() - started, meanLineBytes: meanLine });
  return new Promise((resolve, reject) => {
    let answered = false;
    const source = createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
    const req = httpsRequest(
      url,
      { method: 'POST', headers, rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(opts.ca ? { ca: opts.ca } : {}), timeout: IDLE_TIMEOUT_MS },
      (res) => {
        answered = true;
        source.unpipe(req);
        source.destroy();
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (c: Buffer) => {
          total += c.length;
          if (total > MAX_RESPONSE_BYTES) {
            res.destroy(new HavenError('HAVEN_CLI_BAD_RESPONSE', undefined, { detail: { reason: 'too_large' } }));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, json: text.length > 0 ? JSON.parse(text) : null, setCookie: [] });
          } catch {
            reject(new HavenError('HAVEN_CLI_BAD_RESPONSE', undefined, { detail: { status: res.statusCode ?? 0 } }));
          }
        });
        res.on('error', (err) => reject(err instanceof HavenError ? err : new HavenError('HAVEN_CLI_SERVER_UNREACHABLE', undefined, { detail: { reason: 'response' } })));
      },
    );
    req.on('timeout', () => req.destroy(new HavenError('HAVEN_CLI_SERVER_UNREACHABLE', undefined, { detail: { reason: 'timeout' } })));
    req.on('error', (err) => {
      source.destroy();
      if (!answered) {
        reject(transportError(err));
      }
    });
    source.on('data', (chunk) => {
      const bytes = chunk as Buffer;
      if (sent === 0 && contentType === 'text/csv') {
        meanLine = meanLineLength(bytes);
      }
      sent += bytes.length;
      sink.update(input(), Date.now());
    });
    source.on('end', () => sink.done(input()));
    source.on('error', () => {
      req.destroy();
      reject(new HavenError('HAVEN_USAGE', 'cannot read the file to import'));
    });
    source.pipe(req);
  });
}

function transportError(err: unknown): HavenError {
  if (err instanceof HavenError) {
    return err;
  }
  const code = (err as NodeJS.ErrnoException).code ?? '';
  // The TLS verification failures (CERT_*, *_CERT*, UNABLE_TO_VERIFY_LEAF_SIGNATURE), as in api-client.ts.
  if (code.includes('CERT') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return new HavenError('HAVEN_CLI_TLS_UNTRUSTED', undefined, { detail: { reason: code } });
  }
  return new HavenError('HAVEN_CLI_SERVER_UNREACHABLE', undefined, { detail: { reason: code || 'network' } });
}

/**
 * The report for people: version, the reconciliation (read = stored + quarantined) and the classification table.
 * @param r - the server's import report
 */
export function formatImportReport(r: ImportReportView): string[] {
  const action = new Map(r.handling.map((h) => [h.column, h.action]));
  const rows = r.classification.map((c) => [c.column, c.kind ? `${c.label}/${c.kind}` : c.label, action.get(c.column) ?? '', c.confidence.toFixed(2)]);
  return [
    `imported ${r.dataset} version ${r.version} (${r.status})`,
    `sha256 ${r.sha256}`,
    `rows read ${r.rowsRead} = stored ${r.rowsStored} + quarantined ${r.rowsQuarantined}`,
    '',
    ...formatTable(['COLUMN', 'LABEL/KIND', 'ACTION', 'CONFIDENCE'], rows),
  ];
}

/**
 * The Content-Type to send, from the file's first bytes (never its name): a ZIP archive is an Excel workbook,
 * anything else CSV (or gzip-compressed CSV with --gzip). `--sheet` only makes sense for a workbook.
 * @param file - the file to import
 * @param opts - --gzip and --sheet
 */
export function importContentType(file: string, opts: { readonly gzip?: boolean; readonly sheet?: string }): string {
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const workbook = !opts.gzip && hasZipMagic(head.subarray(0, read));
  if (opts.sheet !== undefined && !workbook) {
    throw new HavenError('HAVEN_USAGE', '--sheet applies only to an Excel workbook (.xlsx)');
  }
  return opts.gzip ? 'application/gzip' : workbook ? XLSX_MEDIA_TYPE : 'text/csv';
}

/** `haven import FILE --workspace W --dataset D [--gzip] [--sheet S]`: stream a CSV file or a workbook into the next version of a dataset. */
export function registerImportCommand(program: Command, io: CliIo): void {
  withConnectionOptions(
    program
      .command('import')
      .description('import a CSV file or an Excel workbook (.xlsx) as the next version of a dataset (data steward); shows progress on stderr')
      .argument('<file>', 'the CSV file (or a gzip-compressed CSV with --gzip), or an Excel workbook (recognised by its content)')
      .requiredOption('--workspace <name>', 'workspace name')
      .requiredOption('--dataset <name>', 'dataset name (created on first import)')
      .option('--gzip', 'the file is gzip-compressed (sent as is; the server decompresses within its limits)')
      .option('--sheet <name>', 'the worksheet to import from a workbook (default: the first visible one)')
      .option('--schema <file>', 'a declared schema (JSON) to enforce: header mismatch refused, bad rows quarantined')
      .option('--json', 'print the import report as JSON'),
  ).action(async (file: string, opts: ImportOptions) => {
    // Checked before anything else, so a typo never costs a round trip (or a token read).
    let size: number;
    let contentType: string;
    try {
      const st = statSync(file);
      if (!st.isFile()) {
        throw new Error('not a file');
      }
      size = st.size;
      contentType = importContentType(file, opts);
    } catch (err) {
      if (err instanceof HavenError) {
        throw err;
      }
      throw new HavenError('HAVEN_USAGE', 'cannot read the file to import: it does not exist or is not a regular file');
    }
    const schema = opts.schema !== undefined ? readDeclaredSchemaFile(opts.schema) : undefined;
    const client = apiClientOptionsFrom(opts, io.env);
    const token = readTokenFile(tokenFilePath(opts.tokenFile, io.env));
    const params = new URLSearchParams();
    if (opts.sheet !== undefined) {
      params.set('sheet', opts.sheet);
    }
    if (schema !== undefined) {
      params.set('schema', schema);
    }
    const query = params.size > 0 ? `?${params.toString()}` : '';
    const path = `/api/workspaces/${encodeURIComponent(opts.workspace)}/datasets/${encodeURIComponent(opts.dataset)}/imports${query}`;
    // The redrawn bar only on the real terminal; captured output (tests, pipes) gets plain lines.
    const sink = progressSink(io, io === processIo && process.stderr.isTTY === true);
    const res = await uploadFile(client, path, file, size, contentType, token, sink);
    if (res.status < 200 || res.status >= 300) {
      throw errorFromResponse(res);
    }
    const report = res.json as ImportReportView;
    if (opts.json) {
      io.out(JSON.stringify(report));
      return;
    }
    for (const line of formatImportReport(report)) {
      io.out(line);
    }
  });
}
