import type { Command } from 'commander';
import { gatherPostureFacts } from '../../../adapters/datadir/posture-facts.js';
import { assertDataDirExists } from '../../../adapters/datadir/data-dir.js';
import { HavenError } from '../../../errors/haven-error.js';
import { checkPosture } from '../../../services/doctor/posture-checks.js';
import { dataDirFrom, type CliIo } from '../cli-context.js';
import { runDoctorReport } from './doctor-report.js';

/**
 * `haven doctor`: check a data directory and configuration for insecure settings; exit 0 only when clean.
 * `haven doctor --report [dir]`: write the HIPAA/SATRE evidence report (report.json, report.html) measured from the
 * live instance; exit 0 only when no control fails (docs/decisions/0021-evidence-report.md).
 */
export function registerDoctorCommand(program: Command, io: CliIo): void {
  program
    .command('doctor')
    .description('check a data directory and its configuration for insecure settings, or write the evidence report (exit 0 only when clean)')
    .option('--data-dir <dir>', 'data directory (or HAVEN_DATA_DIR)')
    .option('--json', 'print the findings as JSON')
    .option('--report [dir]', 'write the HIPAA and SATRE evidence report (report.json, report.html) into dir (default: <data-dir>/reports)')
    .action(async (opts: { dataDir?: string; json?: boolean; report?: string | true }) => {
      const dataDir = dataDirFrom(opts.dataDir, io.env);
      assertDataDirExists(dataDir);
      if (opts.report !== undefined) {
        await runDoctorReport(dataDir, opts.report, opts.json === true, io);
        return;
      }
      const findings = checkPosture(gatherPostureFacts(dataDir, io.env, new Date()));
      if (opts.json) {
        io.out(JSON.stringify({ clean: findings.every((f) => f.ok), findings }, null, 2));
      } else {
        for (const f of findings) {
          io.out(`${f.ok ? 'ok     ' : 'PROBLEM'} ${f.id}: ${f.message}`);
        }
      }
      const problems = findings.filter((f) => !f.ok).length;
      if (problems > 0) {
        throw new HavenError('HAVEN_DOCTOR_FINDINGS', `${problems} problem(s) found`, { detail: { problems } });
      }
      if (!opts.json) {
        io.out('clean: no problems found');
      }
    });
}
