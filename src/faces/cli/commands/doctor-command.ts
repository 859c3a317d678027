import type { Command } from 'commander';
import { gatherPostureFacts } from '../../../adapters/datadir/posture-facts.js';
import { assertDataDirExists } from '../../../adapters/datadir/data-dir.js';
import { HavenError } from '../../../errors/haven-error.js';
import { checkPosture } from '../../../services/doctor/posture-checks.js';
import { dataDirFrom, type CliIo } from '../cli-context.js';

/** `haven doctor`: check a data directory and configuration for insecure settings; exit 0 only when clean. */
export function registerDoctorCommand(program: Command, io: CliIo): void {
  program
    .command('doctor')
    .description('check a data directory and its configuration for insecure settings (exit 0 only when clean)')
    .option('--data-dir <dir>', 'data directory (or HAVEN_DATA_DIR)')
    .option('--json', 'print the findings as JSON')
    .action(async (opts: { dataDir?: string; json?: boolean }) => {
      const dataDir = dataDirFrom(opts.dataDir, io.env);
      assertDataDirExists(dataDir);
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
