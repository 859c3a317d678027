import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/faces/server/app.js';
import type { TestInstance } from './test-instance.js';

/** A test server listening over HTTPS on a free loopback port. */
export interface ListeningServer {
  readonly app: FastifyInstance;
  readonly port: number;
  readonly url: string;
  readonly caFile: string;
  readonly ca: Buffer;
}

/**
 * Build the app with the instance's own TLS certificate and listen on 127.0.0.1:0.
 * @param t - the test instance
 */
export async function listenHttps(t: TestInstance): Promise<ListeningServer> {
  const tls = { key: readFileSync(join(t.dataDir, 'tls/key.pem')), cert: readFileSync(join(t.dataDir, 'tls/cert.pem')) };
  const app = await buildApp(t.instance, tls);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const caFile = join(t.dataDir, 'tls/ca.pem');
  return { app, port, url: `https://127.0.0.1:${port}`, caFile, ca: readFileSync(caFile) };
}
