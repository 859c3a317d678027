import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DEMO_STEPS } from './demo/demo-steps.js';
import { startServer, stopServer, type DemoContext } from './demo/demo-context.js';

// `npm run demo`: the whole story as far as it is built, step by step, on a fresh data directory.
// With a terminal attached it keeps serving until Ctrl-C; without one (CI) it stops and exits.

const ctx: DemoContext = {
  dataDir: resolve('.haven-demo'),
  adminPassword: '',
  tokens: new Map(),
  generatedPasswords: new Map(),
  baseUrl: '',
  server: undefined,
  agent: undefined,
};

async function main(): Promise<void> {
  // The root-key passphrase lives only in this process's environment (inherited by the haven commands it runs),
  // as an operator's secret manager would provide it; it is never written to disk.
  process.env.HAVEN_ROOT_PASSPHRASE ??= randomBytes(24).toString('base64url');
  console.log('Haven demo: a fresh instance in .haven-demo/ (deleted and recreated each run)\n');
  for (const [i, step] of DEMO_STEPS.entries()) {
    console.log(`== ${i + 1}. [${step.persona}] ${step.title}`);
    console.log(`   $ ${step.shell.replace(/\n/g, '\n     ')}`);
    const out = await step.run(ctx);
    console.log(out.trimEnd().replace(/^/gm, '   '));
    console.log('');
  }
  const interactive = process.stdout.isTTY && process.stdin.isTTY && process.env.CI === undefined;
  if (interactive) {
    const url = await startServer(ctx);
    console.log(`Serving at ${url} (CA: .haven-demo/tls/ca.pem). Press Ctrl-C to stop.`);
    await new Promise<void>((done) => process.once('SIGINT', () => done()));
    await stopServer(ctx);
  }
  console.log('demo complete');
}

main().catch(async (err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  await stopServer(ctx).catch(() => undefined);
  process.exitCode = 1;
});
