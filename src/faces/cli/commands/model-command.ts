import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { HavenError } from '../../../errors/haven-error.js';
import { parseCsv } from '../../../libs/formats/csv/index.js';
import { bearerClientFrom, withConnectionOptions, type ConnectionOptions } from '../api-client.js';
import type { CliIo } from '../cli-context.js';
import { formatTable } from '../table.js';

/** A model version as the API returns it (the fields the CLI prints). */
interface ModelView {
  readonly name: string;
  readonly version: number;
  readonly stage: string;
  readonly createdBy: string;
  readonly approvedBy: string | null;
  readonly gateOverridden: boolean;
  readonly signKeyId: string;
  readonly card: {
    readonly lineage: { dataset: string; datasetVersion: number; run: number; rows: { train: number; test: number } };
    readonly metrics: Record<string, number>;
    readonly topFeatures: readonly { feature: string; share: number }[];
    readonly privacyAudit: {
      attacks: readonly { attack: string; auc: number; tprAt0_1pctFpr: number; tprAt1pctFpr: number }[];
      gate: { release: boolean; reasons: readonly { code: string }[] };
    };
  };
}

const MAX_RECORDS_PER_CALL = 1000;

/**
 * The privacy-audit lines of a model card (attack AUCs, TPR at low FPR, the gate's verdict).
 * @param m - the model
 */
export function privacyAuditLines(m: ModelView): string[] {
  const a = m.card.privacyAudit;
  return [
    ...a.attacks.map(
      (x) =>
        `membership inference (${x.attack}): AUC ${x.auc.toFixed(3)}, TPR ${(x.tprAt1pctFpr * 100).toFixed(1)}% at 1% FPR, ${(x.tprAt0_1pctFpr * 100).toFixed(1)}% at 0.1% FPR`,
    ),
    a.gate.release
      ? 'release gate: pass'
      : `release gate: refuse (${a.gate.reasons.map((r) => r.code).join(', ')})${m.gateOverridden ? ' — overridden by a steward' : ''}`,
  ];
}

/** `haven model list|show|approve|retire`: the model registry. */
export function registerModelCommand(program: Command, io: CliIo): void {
  const model = program.command('model').description('the model registry: list, show the model card, approve (data steward) or retire');
  const base = (opts: { workspace: string }): string => `/api/workspaces/${encodeURIComponent(opts.workspace)}/models`;
  withConnectionOptions(
    model.command('list').description('model versions and their stages').requiredOption('--workspace <name>', 'workspace name').option('--json', 'print JSON'),
  ).action(async (opts: ConnectionOptions & { workspace: string; json?: boolean }) => {
    const { client, token } = bearerClientFrom(opts, io.env);
    const { models } = (await client.call('GET', base(opts), undefined, { bearer: token })).json as { models: ModelView[] };
    if (opts.json) {
      io.out(JSON.stringify(models));
      return;
    }
    formatTable(
      ['MODEL', 'VERSION', 'STAGE', 'RUN', 'RMSE', 'MIA AUC', 'GATE'],
      models.map((m) => [
        m.name,
        String(m.version),
        m.stage,
        String(m.card.lineage.run),
        Number.isFinite(m.card.metrics['rmse']) ? m.card.metrics['rmse']!.toFixed(3) : '-',
        Math.max(...m.card.privacyAudit.attacks.map((a) => a.auc)).toFixed(3),
        m.card.privacyAudit.gate.release ? 'pass' : m.gateOverridden ? 'overridden' : 'refuse',
      ]),
    ).forEach((l) => io.out(l));
  });
  withConnectionOptions(
    model
      .command('show')
      .description('a model version with its card')
      .argument('<name>', 'model name')
      .argument('<version>', 'version')
      .requiredOption('--workspace <name>', 'workspace name')
      .option('--json', 'print the card as JSON'),
  ).action(async (name: string, version: string, opts: ConnectionOptions & { workspace: string; json?: boolean }) => {
    const { client, token } = bearerClientFrom(opts, io.env);
    const m = (await client.call('GET', `${base(opts)}/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`, undefined, { bearer: token }))
      .json as ModelView;
    if (opts.json) {
      io.out(JSON.stringify(m));
      return;
    }
    io.out(
      `${m.name} version ${m.version}: ${m.stage} (trained by ${m.createdBy} in run ${m.card.lineage.run} on ${m.card.lineage.dataset}@${m.card.lineage.datasetVersion}; signed by key ${m.signKeyId})`,
    );
    io.out(
      `test metrics: ${Object.entries(m.card.metrics)
        .map(([k, v]) => `${k} ${Number(v).toFixed(3)}`)
        .join('  ')}`,
    );
    io.out(
      `top features: ${m.card.topFeatures
        .slice(0, 5)
        .map((f) => `${f.feature} ${(f.share * 100).toFixed(1)}%`)
        .join(', ')}`,
    );
    privacyAuditLines(m).forEach((l) => io.out(l));
  });
  withConnectionOptions(
    model
      .command('approve')
      .description('approve a candidate for serving (data steward; never a model you trained)')
      .argument('<name>', 'model name')
      .argument('<version>', 'version')
      .requiredOption('--workspace <name>', 'workspace name')
      .option('--override-reason <text>', 'approve although the privacy release gate refuses, for this recorded reason (20+ characters)'),
  ).action(async (name: string, version: string, opts: ConnectionOptions & { workspace: string; overrideReason?: string }) => {
    const { client, token } = bearerClientFrom(opts, io.env);
    const body = opts.overrideReason === undefined ? {} : { overrideReason: opts.overrideReason };
    const m = (await client.call('POST', `${base(opts)}/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/approve`, body, { bearer: token }))
      .json as ModelView;
    io.out(`approved ${m.name} version ${m.version}${m.gateOverridden ? ' (release gate overridden)' : ''}`);
    privacyAuditLines(m).forEach((l) => io.out(l));
  });
  withConnectionOptions(
    model
      .command('retire')
      .description('retire a model version')
      .argument('<name>', 'model name')
      .argument('<version>', 'version')
      .requiredOption('--workspace <name>', 'workspace name'),
  ).action(async (name: string, version: string, opts: ConnectionOptions & { workspace: string }) => {
    const { client, token } = bearerClientFrom(opts, io.env);
    await client.call('POST', `${base(opts)}/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/retire`, {}, { bearer: token });
    io.out(`retired ${name} version ${version}`);
  });
}

/** `haven predict`: score a CSV file with the approved model (clinician). */
export function registerPredictCommand(program: Command, io: CliIo): void {
  withConnectionOptions(
    program
      .command('predict')
      .description('score the records of a CSV file with an approved model (clinician); out-of-distribution records are flagged')
      .argument('<file>', 'CSV file with a header row')
      .requiredOption('--workspace <name>', 'workspace name')
      .requiredOption('--model <name>', 'model name')
      .option('--version <n>', 'an approved version (default: the approved one)')
      .option('--json', 'print the answers as JSON'),
  ).action(async (file: string, opts: ConnectionOptions & { workspace: string; model: string; version?: string; json?: boolean }) => {
    let parsed;
    try {
      parsed = parseCsv(readFileSync(file));
    } catch (err) {
      throw err instanceof HavenError ? err : new HavenError('HAVEN_USAGE', 'cannot read the file', { detail: { option: 'file' } });
    }
    if (parsed.rejected.length > 0) {
      throw new HavenError('HAVEN_PREDICT_BAD_RECORD', undefined, { detail: { row: parsed.rejected[0]!.row, reason: 'csv' } });
    }
    const header = parsed.summary.header;
    const records = parsed.records.map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i] ?? null])));
    const { client, token } = bearerClientFrom(opts, io.env);
    const path = `/api/workspaces/${encodeURIComponent(opts.workspace)}/models/${encodeURIComponent(opts.model)}/predict${opts.version ? `?version=${encodeURIComponent(opts.version)}` : ''}`;
    const answers: { prediction: number; interval: number[]; ood: { flagged: boolean; reasons: { feature: string | null; kind: string }[] } }[] = [];
    let last: { model: { name: string; version: number }; budget: { used: number; limit: number | null } } | undefined;
    for (let i = 0; i < records.length; i += MAX_RECORDS_PER_CALL) {
      const res = (await client.call('POST', path, { records: records.slice(i, i + MAX_RECORDS_PER_CALL) }, { bearer: token })).json as typeof last & {
        predictions: typeof answers;
      };
      answers.push(...res.predictions);
      last = res;
    }
    if (opts.json) {
      io.out(JSON.stringify({ model: last?.model, budget: last?.budget, predictions: answers }));
      return;
    }
    formatTable(
      ['ROW', 'PREDICTION', 'INTERVAL', 'OUT OF DISTRIBUTION'],
      answers.map((a, i) => [
        String(i + 1),
        String(a.prediction),
        `${a.interval[0]}–${a.interval[1]}`,
        a.ood.flagged ? a.ood.reasons.map((r) => (r.feature ? `${r.feature} ${r.kind}` : r.kind)).join(', ') : '-',
      ]),
    ).forEach((l) => io.out(l));
    if (last) {
      io.out(
        `model ${last.model.name} version ${last.model.version}; query budget used ${last.budget.used}${last.budget.limit === null ? '' : ` of ${last.budget.limit}`}`,
      );
    }
  });
}
