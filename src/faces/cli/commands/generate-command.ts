import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { losCsvChunks } from '../../../libs/synth/index.js';
import { HavenError } from '../../../errors/haven-error.js';
import type { CliIo } from '../cli-context.js';

/** `haven generate stays`: synthetic length-of-stay data (fake people, realistic values) for demos and tests. */
export function registerGenerateCommand(program: Command, io: CliIo): void {
  program
    .command('generate')
    .description('write synthetic length-of-stay records as CSV (fake names; calibrated on the reference sample)')
    .argument('<kind>', 'what to generate: stays')
    .requiredOption('--out <file>', 'CSV file to create (must not exist)')
    .option('--rows <n>', 'number of records', '10000')
    .option('--seed <n>', 'random seed (same seed, same file)', '1')
    .option('--with-pii', 'add PII-laden columns (SSN, phone, e-mail, address, card number, notes) for classifier tests')
    .action(async (kind: string, opts: { out: string; rows: string; seed: string; withPii?: boolean }) => {
      const rows = Number(opts.rows);
      const seed = Number(opts.seed);
      if (kind !== 'stays' || !Number.isInteger(rows) || rows < 1 || rows > 100_000_000 || !Number.isInteger(seed)) {
        throw new HavenError('HAVEN_USAGE', 'usage: haven generate stays --rows N --seed N --out FILE');
      }
      const sink = createWriteStream(opts.out, { flags: 'wx', mode: 0o600 });
      for (const chunk of losCsvChunks({ rows, seed, withPii: opts.withPii ?? false })) {
        if (!sink.write(chunk)) {
          await once(sink, 'drain');
        }
      }
      sink.end();
      await once(sink, 'finish');
      io.out(`wrote ${rows} synthetic stays to ${opts.out}`);
    });
}
