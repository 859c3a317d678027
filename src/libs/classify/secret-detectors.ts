/** Kinds of credentials that stop an import (`credential`: a column whose header names a password or key). */
export type SecretKind = 'credential' | 'aws_access_key' | 'private_key' | 'github_token' | 'slack_token' | 'api_key' | 'jwt' | 'connection_string';

interface SecretRule {
  readonly kind: SecretKind;
  readonly re: RegExp;
}

/** One cheap alternation first: almost no cell contains any of these, so most cells cost one scan. */
const PREFILTER = /AKIA|ASIA|-----BEGIN|gh[pousr]_|github_pat_|xox[abposr]-|sk[-_]|rk_live|:\/\/|passw|pwd|eyJ/i;

const RULES: readonly SecretRule[] = [
  { kind: 'aws_access_key', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'private_key', re: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'github_token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/ },
  { kind: 'slack_token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'api_key', re: /\b(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|sk_live_[A-Za-z0-9]{16,}|rk_live_[A-Za-z0-9]{16,})/ },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  // scheme://user:password@host, or key=value strings with a password (ADO.NET, JDBC, ODBC).
  { kind: 'connection_string', re: /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@]+@[^\s/]+|(?:^|;)\s*(?:password|pwd)\s*=\s*[^;\s]+/i },
];

/** Shortest cell that can hold any supported secret. */
export const MIN_SECRET_LENGTH = 16;

/**
 * Which kind of secret a cell holds, if any. Runs on every cell of every column (a single
 * credential must stop the import), so it starts with a length check and one prefilter scan.
 * @param v - the cell text
 * @returns the secret kind, or undefined
 */
export function detectSecret(v: string): SecretKind | undefined {
  if (v.length < MIN_SECRET_LENGTH || !PREFILTER.test(v)) {
    return undefined;
  }
  for (const rule of RULES) {
    if (rule.re.test(v)) {
      return rule.kind;
    }
  }
  return undefined;
}
