import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { openInstance } from '../../../composition/open-instance.js';
import { HavenError } from '../../../errors/haven-error.js';
import { dataDirFrom, type CliIo } from '../cli-context.js';

/** `haven audit verify|export`: offline verification and SIEM export of the ledger. */
export function registerAuditCommand(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('verify or export the tamper-evident audit ledger');
  audit
    .command('verify')
    .description('check the whole hash chain and every signed checkpoint; names the first bad entry')
    .option('--data-dir <dir>', 'data directory (or HAVEN_DATA_DIR)')
    .action(async (opts: { dataDir?: string }) => {
      const instance = await openInstance(dataDirFrom(opts.dataDir, io.env), { env: io.env });
      try {
        const report = await instance.audit.verify(instance.storage);
        if (!report.ok) {
          throw new HavenError('HAVEN_AUDIT_CHAIN_BROKEN', `audit ledger verification FAILED at entry ${report.firstBad!.seq}: ${report.firstBad!.fault}`, {
            detail: { seq: report.firstBad!.seq, fault: report.firstBad!.fault },
          });
        }
        io.out(`audit ledger OK: ${report.entries} entries, ${report.checkpoints} signed checkpoints, head ${report.headSeq}`);
      } finally {
        await instance.close();
      }
    });
  audit
    .command('export')
    .description('write the ledger as JSON lines (one entry per line) for a SIEM')
    .option('--data-dir <dir>', 'data directory (or HAVEN_DATA_DIR)')
    .option('--out <file>', 'output file (default: standard output)')
    .action(async (opts: { dataDir?: string; out?: string }) => {
      const instance = await openInstance(dataDirFrom(opts.dataDir, io.env), { env: io.env });
      try {
        const sink = opts.out ? createWriteStream(opts.out, { mode: 0o600, flags: 'wx' }) : process.stdout;
        let n = 0;
        for await (const line of instance.audit.exportJsonLines(instance.storage)) {
          if (!sink.write(line)) {
            await once(sink, 'drain');
          }
          n++;
        }
        if (opts.out) {
          sink.end();
          await once(sink, 'finish');
          io.err(`exported ${n} entries to ${opts.out}`);
        }
      } finally {
        await instance.close();
      }
    });
}
