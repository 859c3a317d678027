import type { Command } from 'commander';
import { isHavenCode } from '../../../errors/codes.js';
import { HavenError } from '../../../errors/haven-error.js';
import { bearerClientFrom, withConnectionOptions, type ApiClient, type ConnectionOptions } from '../api-client.js';
import type { CliIo } from '../cli-context.js';
import { formatTable } from '../table.js';
import { formatTrainingBar, formatTrainingLine, type TrainingProgressInput } from '../training-progress.js';

const POLL_MS = 500;
const LINE_INTERVAL_MS = 5000;

/** A run as the API returns it (the fields the CLI prints). */
export interface RunView {
  readonly run: number;
  readonly status: string;
  readonly dataset: string;
  readonly datasetVersion: number;
  readonly params: Record<string, unknown>;
  readonly seed: number;
  readonly progress: TrainingProgressInput | null;
  readonly errorCode: string | null;
  readonly model: { readonly name: string; readonly version: number | null };
  readonly createdBy: string;
  readonly results: {
    readonly metrics: Record<string, number>;
    readonly importance: readonly { feature: string; share: number }[];
    readonly privacyGate: { release: boolean; reasons: readonly string[] };
    readonly timings: { totalSeconds: number };
  } | null;
}

interface TrainOptions extends ConnectionOptions {
  readonly workspace: string;
  readonly dataset: string;
  readonly target: string;
  readonly model: string;
  readonly param: string[];
  readonly seed?: string;
  readonly name?: string;
  readonly wait: boolean;
  readonly json?: boolean;
}

/**
 * `k=v` pairs into a parameter map (values stay strings; the server validates them).
 * @param pairs - the --param values
 */
export function parseParamPairs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const at = p.indexOf('=');
    if (at <= 0 || at === p.length - 1) {
      throw new HavenError('HAVEN_USAGE', 'a parameter must look like name=value', { detail: { option: 'param' } });
    }
    out[p.slice(0, at)] = p.slice(at + 1);
  }
  return out;
}

/**
 * `D` or `D@3` into a dataset name and optional version.
 * @param spec - the --dataset value
 */
export function parseDatasetSpec(spec: string): { dataset: string; version?: number } {
  const m = /^([a-z0-9][a-z0-9_-]{0,63})(?:@([1-9][0-9]{0,8}))?$/.exec(spec);
  if (!m) {
    throw new HavenError('HAVEN_USAGE', 'dataset must be NAME or NAME@VERSION', { detail: { option: 'dataset' } });
  }
  return { dataset: m[1]!, ...(m[2] ? { version: Number(m[2]) } : {}) };
}

/** Lines describing a finished run: metrics, top features and the release gate. */
export function runSummary(r: RunView): string[] {
  if (r.status !== 'succeeded' || !r.results) {
    return [`run ${r.run}: ${r.status}${r.errorCode ? ` (${r.errorCode})` : ''}`];
  }
  const m = r.results.metrics;
  const fmt = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(3));
  return [
    `run ${r.run}: succeeded in ${r.results.timings.totalSeconds.toFixed(1)} s → model ${r.model.name} version ${r.model.version} (candidate)`,
    `test metrics: RMSE ${fmt(m.rmse)}  MAE ${fmt(m.mae)}  R² ${fmt(m.r2)}  RAE ${fmt(m.rae)}  RSE ${fmt(m.rse)}  exact day ${fmt(m.exactDay)}  within one day ${fmt(m.withinOneDay)}`,
    `top features: ${r.results.importance
      .slice(0, 5)
      .map((f) => `${f.feature} ${(f.share * 100).toFixed(1)}%`)
      .join(', ')}`,
    r.results.privacyGate.release
      ? 'privacy audit: the release gate passes (a steward may approve it)'
      : `privacy audit: the release gate refuses (${r.results.privacyGate.reasons.join(', ')}); approval needs a steward's override with a reason`,
  ];
}

async function follow(client: ApiClient, token: string, workspace: string, run: number, io: CliIo, tty: boolean): Promise<RunView> {
  let lastLine = 0;
  let cancelled = false;
  const onInterrupt = (): void => {
    cancelled = true;
  };
  process.once('SIGINT', onInterrupt);
  try {
    for (;;) {
      if (cancelled) {
        await client.call('POST', `/api/workspaces/${encodeURIComponent(workspace)}/training-runs/${run}/cancel`, undefined, { bearer: token });
      }
      const r = (await client.call('GET', `/api/workspaces/${encodeURIComponent(workspace)}/training-runs/${run}`, undefined, { bearer: token }))
        .json as RunView;
      if (r.progress && tty) {
        process.stderr.write(`\r${formatTrainingBar(r.progress)}\u001b[K`);
      } else if (r.progress && Date.now() - lastLine >= LINE_INTERVAL_MS) {
        lastLine = Date.now();
        io.err(formatTrainingLine(r.progress));
      }
      if (r.status !== 'queued' && r.status !== 'running') {
        if (tty && r.progress) {
          process.stderr.write('\n');
        }
        return r;
      }
      await new Promise((res) => setTimeout(res, POLL_MS));
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

/** `haven train`: start a training run as the data scientist and follow its progress until it ends. */
export function registerTrainCommand(program: Command, io: CliIo): void {
  withConnectionOptions(
    program
      .command('train')
      .description('train a model on a published dataset version (data scientist); shows progress on stderr, Ctrl-C cancels the run')
      .requiredOption('--workspace <name>', 'workspace name')
      .requiredOption('--dataset <name[@version]>', 'dataset, optionally with a version (default: the latest published)')
      .requiredOption('--target <column>', 'the column to predict')
      .option('--model <kind>', 'model kind', 'gbdt')
      .option('--param <name=value>', 'a training parameter (repeatable), e.g. --param nRounds=300', (v: string, acc: string[]) => [...acc, v], [])
      .option('--seed <n>', 'random seed (default 1)')
      .option('--name <name>', 'registry name of the model (default: the target)')
      .option('--no-wait', 'start the run and return at once')
      .option('--json', 'print the run as JSON'),
  ).action(async (opts: TrainOptions) => {
    if (opts.model !== 'gbdt') {
      throw new HavenError('HAVEN_USAGE', 'the only model kind is gbdt', { detail: { option: 'model' } });
    }
    const { dataset, version } = parseDatasetSpec(opts.dataset);
    const params = parseParamPairs(opts.param);
    const seed = opts.seed === undefined ? undefined : Number(opts.seed);
    const { client, token } = bearerClientFrom(opts, io.env);
    const body = {
      dataset,
      ...(version ? { version } : {}),
      target: opts.target,
      params,
      ...(seed === undefined ? {} : { seed }),
      ...(opts.name ? { name: opts.name } : {}),
    };
    const started = (await client.call('POST', `/api/workspaces/${encodeURIComponent(opts.workspace)}/training-runs`, body, { bearer: token })).json as RunView;
    if (!opts.wait) {
      io.out(opts.json ? JSON.stringify(started) : `started run ${started.run} (follow it with: haven runs show ${started.run} --workspace ${opts.workspace})`);
      return;
    }
    const done = await follow(client, token, opts.workspace, started.run, io, process.stderr.isTTY === true);
    if (opts.json) {
      io.out(JSON.stringify(done));
    } else {
      runSummary(done).forEach((l) => io.out(l));
    }
    if (done.status !== 'succeeded') {
      const code = done.errorCode && isHavenCode(done.errorCode) ? done.errorCode : 'HAVEN_TRAIN_FAILED';
      throw new HavenError(code, undefined, { detail: { run: done.run } });
    }
  });
}

/** `haven runs list|show|compare`: the workspace's experiments. */
export function registerRunsCommand(program: Command, io: CliIo): void {
  const runs = program.command('runs').description('list, show and compare training runs (experiments)');
  const get = async (opts: ConnectionOptions & { workspace: string }): Promise<RunView[]> => {
    const { client, token } = bearerClientFrom(opts, io.env);
    return (
      (await client.call('GET', `/api/workspaces/${encodeURIComponent(opts.workspace)}/training-runs`, undefined, { bearer: token })).json as {
        runs: RunView[];
      }
    ).runs;
  };
  const metric = (r: RunView, k: string): string => (r.results && Number.isFinite(r.results.metrics[k]) ? r.results.metrics[k]!.toFixed(3) : '-');
  withConnectionOptions(
    runs.command('list').description('every run of a workspace').requiredOption('--workspace <name>', 'workspace name').option('--json', 'print JSON'),
  ).action(async (opts: ConnectionOptions & { workspace: string; json?: boolean }) => {
    const list = await get(opts);
    if (opts.json) {
      io.out(JSON.stringify(list));
      return;
    }
    formatTable(
      ['RUN', 'STATUS', 'DATASET', 'MODEL', 'RMSE', 'R²', 'GATE'],
      list.map((r) => [
        String(r.run),
        r.status,
        `${r.dataset}@${r.datasetVersion}`,
        r.model.version ? `${r.model.name}@${r.model.version}` : '-',
        metric(r, 'rmse'),
        metric(r, 'r2'),
        r.results ? (r.results.privacyGate.release ? 'pass' : 'refuse') : '-',
      ]),
    ).forEach((l) => io.out(l));
  });
  withConnectionOptions(
    runs
      .command('show')
      .description('one run')
      .argument('<run>', 'run number')
      .requiredOption('--workspace <name>', 'workspace name')
      .option('--json', 'print JSON'),
  ).action(async (run: string, opts: ConnectionOptions & { workspace: string; json?: boolean }) => {
    const { client, token } = bearerClientFrom(opts, io.env);
    const r = (
      await client.call('GET', `/api/workspaces/${encodeURIComponent(opts.workspace)}/training-runs/${encodeURIComponent(run)}`, undefined, { bearer: token })
    ).json as RunView;
    if (opts.json) {
      io.out(JSON.stringify(r));
      return;
    }
    (r.progress && (r.status === 'running' || r.status === 'queued') ? [formatTrainingLine(r.progress)] : runSummary(r)).forEach((l) => io.out(l));
  });
  withConnectionOptions(
    runs
      .command('compare')
      .description('runs side by side: parameters and test metrics')
      .argument('<runs...>', 'run numbers')
      .requiredOption('--workspace <name>', 'workspace name'),
  ).action(async (wanted: string[], opts: ConnectionOptions & { workspace: string }) => {
    const all = await get(opts);
    const chosen = wanted.map((w) => {
      const r = all.find((x) => String(x.run) === w);
      if (!r) {
        throw new HavenError('HAVEN_HTTP_NOT_FOUND', undefined, { detail: { run: w.slice(0, 12) } });
      }
      return r;
    });
    const keys = [...new Set(chosen.flatMap((r) => Object.keys(r.params)))].sort();
    const rows: string[][] = [
      ['dataset', ...chosen.map((r) => `${r.dataset}@${r.datasetVersion}`)],
      ['seed', ...chosen.map((r) => String(r.seed))],
      ...keys.map((k) => [k, ...chosen.map((r) => (r.params[k] === undefined ? '-' : String(r.params[k])))]),
      ...['rmse', 'mae', 'r2', 'exactDay', 'withinOneDay'].map((k) => [k, ...chosen.map((r) => metric(r, k))]),
      ['gate', ...chosen.map((r) => (r.results ? (r.results.privacyGate.release ? 'pass' : 'refuse') : '-'))],
    ];
    formatTable(['', ...chosen.map((r) => `run ${r.run}`)], rows).forEach((l) => io.out(l));
  });
}
