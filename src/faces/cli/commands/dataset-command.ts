import type { Command } from 'commander';
import { HavenError } from '../../../errors/haven-error.js';
import { KINDS_OF_LABEL } from '../../../services/ingest/label-override-rules.js';
import { bearerClientFrom, withConnectionOptions, type ConnectionOptions } from '../api-client.js';
import type { CliIo } from '../cli-context.js';

interface VersionOptions extends ConnectionOptions {
  readonly workspace: string;
  readonly dataset: string;
  readonly version: string;
  readonly json?: boolean;
}

interface LabelOptions extends VersionOptions {
  readonly column: string;
  readonly label: string;
  readonly kind?: string;
  readonly reason: string;
  readonly confirmDecrypt?: boolean;
}

/** The server's answer to a label override (the fields printed). */
interface LabelResult {
  readonly dataset: string;
  readonly version: number;
  readonly status: string;
  readonly column: string;
  readonly label: string;
  readonly kind: string | null;
  readonly previousLabel: string;
  readonly previousKind: string | null;
  readonly action: string;
  readonly previousAction: string;
  readonly rowsRewritten: number;
}

/**
 * A version number from the command line (a positive integer), or HAVEN_USAGE.
 * @param text - the --version value
 */
export function versionNumber(text: string): number {
  const n = Number(text);
  if (!/^[1-9]\d{0,8}$/.test(text) || !Number.isSafeInteger(n)) {
    throw new HavenError('HAVEN_USAGE', '--version must be a version number (1, 2, …)');
  }
  return n;
}

/**
 * The path of a version's API resource.
 * @param o - workspace, dataset, version
 */
export function versionPath(o: VersionOptions): string {
  return `/api/workspaces/${encodeURIComponent(o.workspace)}/datasets/${encodeURIComponent(o.dataset)}/versions/${versionNumber(o.version)}`;
}

const labelOf = (label: string, kind: string | null): string => (kind ? `${label}/${kind}` : label);

/**
 * What a steward reads after an override: the label change, the handling change, the rows moved.
 * @param r - the server's answer
 */
export function formatLabelResult(r: LabelResult): string[] {
  const lines = [`${r.dataset} version ${r.version} (${r.status}): ${r.column} ${labelOf(r.previousLabel, r.previousKind)} → ${labelOf(r.label, r.kind)}`];
  lines.push(r.action === r.previousAction ? `stored as before: ${r.action}` : `stored ${r.previousAction} → ${r.action}: ${r.rowsRewritten} rows rewritten`);
  return lines;
}

const withVersion = (cmd: Command): Command =>
  withConnectionOptions(
    cmd
      .requiredOption('--workspace <name>', 'workspace name')
      .requiredOption('--dataset <name>', 'dataset name')
      .requiredOption('--version <n>', 'version number')
      .option('--json', 'print JSON'),
  );

/** `haven dataset label|publish`: the data steward's review of a version's classification, and its publication. */
export function registerDatasetCommand(program: Command, io: CliIo): void {
  const ds = program.command('dataset').description("review a dataset version's labels and publish it (data steward)");
  withVersion(
    ds
      .command('label')
      .description("override a column's label of a ready (unpublished) version; the handling follows and stored values move")
      .requiredOption('--column <name>', 'the column')
      .requiredOption('--label <label>', `the label: ${Object.keys(KINDS_OF_LABEL).join(', ')}`)
      .option('--kind <kind>', 'the kind, e.g. name, unique_id, mrn, date (direct); age, sex, facility (quasi); lab_value, outcome (sensitive)')
      .requiredOption('--reason <text>', 'why (kept with the version; 10 to 1000 characters)')
      .option('--confirm-decrypt', 'allow a label that lowers protection: the column is decrypted back into clear'),
  ).action(async (opts: LabelOptions) => {
    const path = `${versionPath(opts)}/labels`;
    const { client, token } = bearerClientFrom(opts, io.env);
    const body = {
      column: opts.column,
      label: opts.label,
      ...(opts.kind !== undefined ? { kind: opts.kind } : {}),
      reason: opts.reason,
      ...(opts.confirmDecrypt ? { confirmDecrypt: true } : {}),
    };
    const result = (await client.call('POST', path, body, { bearer: token })).json as LabelResult;
    if (opts.json) {
      io.out(JSON.stringify(result));
      return;
    }
    for (const line of formatLabelResult(result)) {
      io.out(line);
    }
  });
  withVersion(ds.command('publish').description('publish a ready version for training (it is then immutable)')).action(async (opts: VersionOptions) => {
    const path = `${versionPath(opts)}/publish`;
    const { client, token } = bearerClientFrom(opts, io.env);
    const view = (await client.call('POST', path, undefined, { bearer: token })).json as { version: number; status: string; publishedAt: string | null };
    io.out(opts.json ? JSON.stringify(view) : `published ${opts.dataset} version ${view.version} at ${view.publishedAt ?? ''}`.trimEnd());
  });
}
