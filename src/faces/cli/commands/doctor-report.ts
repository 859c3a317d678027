import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evidenceReportOf } from '../../../composition/evidence-report.js';
import { openInstance } from '../../../composition/open-instance.js';
import { HavenError } from '../../../errors/haven-error.js';
import type { EvidenceDocument } from '../../../libs/report/evidence-document.js';
import { renderEvidenceHtml } from '../../../libs/report/evidence-html.js';
import type { CliIo } from '../cli-context.js';

/** Where reports go when `--report` names no directory: `reports/` inside the data directory. */
export const DEFAULT_REPORT_DIR = 'reports';

/**
 * Write files into a directory all or nothing: each to a private temporary name first (0600), then renamed into
 * place. If anything fails, the temporaries are removed and nothing is left half-written.
 * @param dir - the directory (created 0700 if absent)
 * @param files - names and contents
 */
export function writeReportFiles(dir: string, files: readonly { readonly name: string; readonly content: string }[]): string[] {
  const temps: string[] = [];
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const f of files) {
      const tmp = join(dir, `.${f.name}.tmp-${randomBytes(6).toString('hex')}`);
      writeFileSync(tmp, f.content, { mode: 0o600, flag: 'wx' });
      temps.push(tmp);
      chmodSync(tmp, 0o600);
    }
    return files.map((f, i) => {
      const target = join(dir, f.name);
      renameSync(temps[i]!, target);
      return target;
    });
  } catch (cause) {
    for (const t of temps) {
      rmSync(t, { force: true });
    }
    const reason = (cause as NodeJS.ErrnoException).code ?? 'unknown';
    throw new HavenError('HAVEN_REPORT_DIR_UNUSABLE', undefined, { cause, detail: { reason } });
  }
}

/**
 * Lines summarising a report: the totals, then one line per failed control with why it failed.
 * @param doc - the evaluated report
 */
export function formatReportSummary(doc: EvidenceDocument): string[] {
  const s = doc.summary;
  return [
    `evidence report: ${s.pass} passed, ${s.fail} failed, ${s.notApplicable} not applicable (of ${s.total} controls)`,
    ...doc.controls.filter((c) => c.status === 'fail').map((c) => `FAIL ${c.id} (${c.ref} ${c.title}): ${c.summary}`),
  ];
}

/**
 * `haven doctor --report [dir]`: measure the instance, evaluate the HIPAA and SATRE controls, write report.json and
 * report.html (0600), print the paths and a summary; fail (exit 3, after writing) when any control fails.
 * @param dataDir - the data directory
 * @param reportOption - the directory given to --report, or true for the default
 * @param json - print the outcome as JSON
 * @param io - output and environment
 */
export async function runDoctorReport(dataDir: string, reportOption: string | true, json: boolean, io: CliIo): Promise<void> {
  const instance = await openInstance(dataDir, { env: io.env });
  let doc: EvidenceDocument;
  try {
    doc = await evidenceReportOf(instance, io.env);
  } finally {
    await instance.close();
  }
  const dir = reportOption === true ? join(dataDir, DEFAULT_REPORT_DIR) : resolve(reportOption);
  const [jsonPath, htmlPath] = writeReportFiles(dir, [
    { name: 'report.json', content: `${JSON.stringify(doc, null, 2)}\n` },
    { name: 'report.html', content: renderEvidenceHtml(doc) },
  ]);
  const failed = doc.controls.filter((c) => c.status === 'fail').map((c) => c.id);
  if (json) {
    io.out(JSON.stringify({ json: jsonPath, html: htmlPath, summary: doc.summary, failed }, null, 2));
  } else {
    for (const line of formatReportSummary(doc)) {
      io.out(line);
    }
    io.out(`wrote ${jsonPath}`);
    io.out(`wrote ${htmlPath}`);
  }
  if (failed.length > 0) {
    throw new HavenError('HAVEN_REPORT_CONTROLS_FAILED', `${failed.length} control(s) failed`, { detail: { failed: failed.length } });
  }
}
