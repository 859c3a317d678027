import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance } from 'fastify';
import { TLS12_CIPHERS, type TlsMaterial } from '../../src/faces/server/app.js';

/** What one autocannon run measured. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly total: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

/** One load run: URL, connections, seconds, method, headers and body. */
export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * Run autocannon (its command line, in a child process, so the load generator does not share this process's event
 * loop with the servers under test) and parse its JSON result.
 * @param o - what to load and how hard
 */
export function runAutocannon(o: LoadOptions): Promise<LoadResult> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const args = [bin, '-j', '-n', '-c', String(o.connections), '-d', String(o.seconds), '-m', o.method];
  for (const [k, v] of Object.entries(o.headers)) {
    args.push('-H', `${k}=${v}`);
  }
  if (o.body !== undefined) {
    args.push('-b', o.body);
  }
  args.push(o.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || line === '') {
        reject(new Error(`autocannon exited ${String(code)}: ${err.slice(0, 500)}`));
        return;
      }
      const r = JSON.parse(line) as {
        requests: { average: number; total: number };
        latency: { p50: number; p99: number; max: number };
        non2xx: number;
        errors: number;
        timeouts: number;
      };
      resolve({
        requestsPerSecond: r.requests.average,
        total: r.requests.total,
        p50: r.latency.p50,
        p99: r.latency.p99,
        max: r.latency.max,
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
      });
    });
  });
}

/**
 * The reference: a bare Fastify HTTPS server with the same certificate and TLS settings as Haven's, whose one POST
 * route parses the JSON body and returns a constant JSON document. Listens on a free loopback port.
 * @param tls - Haven's certificate and key
 * @param constant - the document to return
 */
export async function startBareServer(tls: TlsMaterial, constant: unknown): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({
    logger: false,
    https: { key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2', ciphers: TLS12_CIPHERS, honorCipherOrder: true },
  });
  const payload = JSON.stringify(constant);
  app.post('/predict', async (_request, reply) => reply.type('application/json').send(payload));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, url: `https://127.0.0.1:${port}/predict` };
}
