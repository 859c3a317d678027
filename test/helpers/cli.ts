import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The compiled CLI (npm test builds before running the suite). */
export const CLI = fileURLToPath(new URL('../../dist/src/faces/cli/main.js', import.meta.url));

/** Outcome of one CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run `haven ARGS` as a separate process (asynchronously, so servers in the test process keep serving).
 * @param args - arguments
 * @param env - extra environment variables
 */
export function haven(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
