import { describe, it, expect } from 'vitest';
import { detectSecret } from './secret-detectors.js';

describe('detectSecret', () => {
  it('finds each supported credential', () => {
    expect(detectSecret('AKIAIOSFODNN7EXAMPLE')).toBe('aws_access_key');
    expect(detectSecret('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...')).toBe('private_key');
    expect(detectSecret('-----BEGIN PRIVATE KEY-----')).toBe('private_key');
    expect(detectSecret(`ghp_${'A'.repeat(36)}`)).toBe('github_token');
    expect(detectSecret(`github_pat_${'a'.repeat(30)}`)).toBe('github_token');
    expect(detectSecret('xoxp-1234567890-abcdef')).toBe('slack_token');
    expect(detectSecret(`sk-proj-${'Z'.repeat(30)}`)).toBe('api_key');
    expect(detectSecret(`sk_live_${'9'.repeat(24)}`)).toBe('api_key');
    expect(detectSecret('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U')).toBe('jwt');
    expect(detectSecret('mysql://root:toor@10.1.2.3/db')).toBe('connection_string');
    expect(detectSecret('Host=x;Username=u;Password=p4ss;')).toBe('connection_string');
  });

  it('ignores ordinary cells, including look-alikes', () => {
    for (const v of ['', 'short', 'patient discharged home', 'https://example.org/path', 'AKIA-not-a-key-really', 'password reset requested by phone', 'sk-short', 'https://user@example.org/x']) {
      expect(detectSecret(v)).toBeUndefined();
    }
  });
});
