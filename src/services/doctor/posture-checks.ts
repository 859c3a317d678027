import type { ConfigProblem } from '../../config/validate.js';
import { isLoopback } from '../../config/validate.js';
import type { HavenConfig } from '../../config/schema.js';

/** Facts about an instance gathered from disk by an adapter; the checks themselves are pure. */
export interface PostureFacts {
  readonly dataDirMode: number;
  readonly files: readonly { readonly path: string; readonly mode: number }[];
  readonly config: HavenConfig | undefined;
  readonly configProblems: readonly ConfigProblem[];
  readonly missingFiles: readonly string[];
  readonly certificate: { readonly present: boolean; readonly notAfter?: Date; readonly keyPresent: boolean } | undefined;
  readonly now: Date;
}

/** One finding of the posture check. */
export interface Finding {
  readonly id: string;
  readonly ok: boolean;
  readonly message: string;
}

const OPEN_BITS = 0o077;
/** OWASP's minimum argon2id memory cost (19 MiB) with t=2, p=1. */
export const OWASP_ARGON2_MEMORY_KIB = 19_456;

/**
 * Evaluate the security posture of a data directory and its configuration. Every check yields a finding;
 * the instance is clean when every finding is ok.
 * @param f - the gathered facts
 */
export function checkPosture(f: PostureFacts): Finding[] {
  const out: Finding[] = [];
  out.push({
    id: 'datadir.permissions',
    ok: (f.dataDirMode & OPEN_BITS) === 0,
    message:
      (f.dataDirMode & OPEN_BITS) === 0
        ? 'data directory is private (0700)'
        : `data directory is accessible to others (mode ${(f.dataDirMode & 0o777).toString(8)}); run chmod 700`,
  });
  const open = f.files.filter((x) => (x.mode & OPEN_BITS) !== 0);
  out.push({
    id: 'files.permissions',
    ok: open.length === 0,
    message: open.length === 0 ? 'every file is owner-only (0600)' : `files readable by others: ${open.map((x) => x.path).join(', ')}`,
  });
  out.push({
    id: 'datadir.complete',
    ok: f.missingFiles.length === 0,
    message: f.missingFiles.length === 0 ? 'all required files present' : `missing: ${f.missingFiles.join(', ')}`,
  });
  for (const p of f.configProblems) {
    out.push({ id: `config.${p.key}`, ok: false, message: `${p.key} (${p.source}): ${p.problem}` });
  }
  const c = f.config;
  if (c) {
    out.push({ id: 'tls.enabled', ok: c.server.tls, message: c.server.tls ? 'HTTPS only' : 'plain HTTP is enabled (server.tls=false)' });
    const loop = isLoopback(c.server.host);
    out.push({
      id: 'bind.address',
      ok: loop || c.server.tls,
      message: loop
        ? `listens on loopback (${c.server.host})`
        : c.server.tls
          ? `listens on ${c.server.host} with TLS`
          : `listens on ${c.server.host} without TLS`,
    });
    const kdfOk = c.identity.passwordHashMemoryKiB >= OWASP_ARGON2_MEMORY_KIB && c.identity.passwordHashIterations >= 2;
    out.push({
      id: 'identity.password_hashing',
      ok: kdfOk,
      message: kdfOk
        ? `argon2id m=${c.identity.passwordHashMemoryKiB} KiB, t=${c.identity.passwordHashIterations}`
        : `argon2id cost below the OWASP minimum (m=${OWASP_ARGON2_MEMORY_KIB} KiB, t=2): m=${c.identity.passwordHashMemoryKiB}, t=${c.identity.passwordHashIterations}`,
    });
    if (c.server.tls && f.certificate) {
      const cert = f.certificate;
      const valid = cert.present && cert.keyPresent && cert.notAfter !== undefined && cert.notAfter > f.now;
      out.push({
        id: 'tls.certificate',
        ok: valid,
        message: valid ? `certificate valid until ${cert.notAfter!.toISOString()}` : 'certificate or key missing, unreadable or expired',
      });
    }
  }
  return out;
}
