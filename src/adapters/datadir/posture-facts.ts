import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CONFIG_FILE_NAME } from '../../config/load.js';
import { resolveConfig } from '../../config/validate.js';
import type { PostureFacts } from '../../services/doctor/posture-checks.js';
import { REQUIRED_FILES, resolveInDataDir } from './data-dir.js';

function walk(dir: string, root: string, out: { path: string; mode: number }[]): void {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) {
      out.push({ path: `${relative(root, full)}/`, mode: st.mode });
      walk(full, root, out);
    } else {
      out.push({ path: relative(root, full), mode: st.mode });
    }
  }
}

/**
 * Gather the facts `haven doctor` judges: permissions of everything in the data directory, the configuration
 * as it would load (with every problem), and the certificate's validity.
 * @param dataDir - the data directory
 * @param env - the environment
 * @param now - the current time
 */
export function gatherPostureFacts(dataDir: string, env: Readonly<Record<string, string | undefined>>, now: Date): PostureFacts {
  const files: { path: string; mode: number }[] = [];
  walk(dataDir, dataDir, files);
  let parsed: unknown;
  const configProblems = [];
  try {
    parsed = JSON.parse(readFileSync(join(dataDir, CONFIG_FILE_NAME), 'utf8'));
  } catch {
    configProblems.push({ key: CONFIG_FILE_NAME, source: 'file', problem: 'missing or not valid JSON' });
  }
  const resolved = configProblems.length === 0 ? resolveConfig(parsed, env) : undefined;
  if (resolved && !resolved.config) {
    configProblems.push(...resolved.problems);
  }
  const config = resolved?.config;
  let certificate: PostureFacts['certificate'];
  if (config?.server.tls) {
    const certPath = resolveInDataDir(dataDir, config.server.tlsCertFile);
    const keyPath = resolveInDataDir(dataDir, config.server.tlsKeyFile);
    let notAfter: Date | undefined;
    try {
      notAfter = new Date(new X509Certificate(readFileSync(certPath)).validTo);
    } catch {
      notAfter = undefined;
    }
    certificate = { present: notAfter !== undefined, keyPresent: existsSync(keyPath), ...(notAfter ? { notAfter } : {}) };
  }
  return {
    dataDirMode: statSync(dataDir).mode,
    files,
    config,
    configProblems,
    missingFiles: REQUIRED_FILES.filter((f) => !existsSync(join(dataDir, f))),
    certificate,
    now,
  };
}
