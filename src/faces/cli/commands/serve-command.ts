import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openInstance } from '../../../composition/open-instance.js';
import { resolveInDataDir } from '../../../adapters/datadir/data-dir.js';
import { HavenError } from '../../../errors/haven-error.js';
import { buildApp, type TlsMaterial } from '../../server/app.js';
import { LabelOverrideService } from '../../../services/ingest/label-override.js';
import { dataDirFrom, type CliIo } from '../cli-context.js';

/** `haven serve`: run the HTTPS server until SIGTERM/SIGINT, then shut down gracefully. */
export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('serve the API over HTTPS (loopback by default)')
    .option('--data-dir <dir>', 'data directory (or HAVEN_DATA_DIR)')
    .option('--port <n>', 'TCP port (0 picks a free one)')
    .option('--host <addr>', 'address to listen on (default 127.0.0.1)')
    .option('--insecure-plain-http', 'serve plain HTTP (refused unless the host is loopback)')
    .action(async (opts: { dataDir?: string; port?: string; host?: string; insecurePlainHttp?: boolean }) => {
      const dataDir = dataDirFrom(opts.dataDir, io.env);
      // Flags are applied as environment overrides so they pass through the same validation as every other source.
      const env = {
        ...io.env,
        ...(opts.port !== undefined ? { HAVEN_SERVER_PORT: opts.port } : {}),
        ...(opts.host !== undefined ? { HAVEN_SERVER_HOST: opts.host } : {}),
        ...(opts.insecurePlainHttp ? { HAVEN_SERVER_TLS: 'false', HAVEN_SERVER_ALLOW_PLAIN_HTTP: 'true' } : {}),
      };
      const instance = await openInstance(dataDir, { env });
      const { server } = instance.config;
      let tls: TlsMaterial | undefined;
      if (server.tls) {
        try {
          tls = { key: readFileSync(resolveInDataDir(dataDir, server.tlsKeyFile)), cert: readFileSync(resolveInDataDir(dataDir, server.tlsCertFile)) };
        } catch (cause) {
          await instance.close();
          throw new HavenError('HAVEN_DATADIR_CORRUPT', 'TLS certificate or key cannot be read', { cause });
        }
      }
      try {
        // Unlock the key hierarchy now, so a missing passphrase or PIN stops the start instead of the first import.
        await instance.keys();
        await instance.ingest.recoverInterrupted('startup');
        await instance.models.training.recoverInterrupted();
        // A label override's row rewrite interrupted by a stop is finished before requests are served.
        await new LabelOverrideService(instance.storage, instance.audit, instance.clock, async () => (await instance.keys()).keys).resumeInterrupted('startup');
      } catch (err) {
        await instance.close();
        throw err;
      }
      const app = await buildApp(instance, tls);
      const scheme = tls ? 'https' : 'http';
      await app.listen({ host: server.host, port: server.port, listenTextResolver: (address) => `listening on ${address.replace(/^https?/, scheme)}` });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : server.port;
      const host = server.host.includes(':') ? `[${server.host}]` : server.host;
      io.out(`haven listening on ${scheme}://${host}:${port}`);
      await new Promise<void>((resolveStop) => {
        const stop = (): void => resolveStop();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      io.out('shutting down');
      await app.close();
      await instance.audit.checkpointNow(instance.storage);
      await instance.close();
    });
}
