import { describe, expect, it } from 'vitest';
import { ArchiveReader, assertArchivePath, entryHead } from './archive-format.js';
import type { EntryHeader } from './archive-format.js';

function archive(files: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [path, content] of Object.entries(files)) {
    parts.push(entryHead({ path, size: Buffer.byteLength(content) }), Buffer.from(content));
  }
  parts.push(entryHead({ end: true, files: Object.keys(files).length }));
  return Buffer.concat(parts);
}

function read(bytes: Buffer, chunk: number): Record<string, string> {
  const out: Record<string, string> = {};
  let current: EntryHeader | undefined;
  let parts: Buffer[] = [];
  const reader = new ArchiveReader({
    begin: (h) => {
      current = h;
      parts = [];
    },
    data: (b) => parts.push(Buffer.from(b)),
    end: () => {
      out[current!.path] = Buffer.concat(parts).toString();
    },
  });
  for (let i = 0; i < bytes.length; i += chunk) {
    reader.push(bytes.subarray(i, i + chunk));
  }
  reader.finish();
  return out;
}

describe('backup archive framing', () => {
  const files = { 'haven.json': '{}', 'keys/a.pem': 'x'.repeat(1000), empty: '' };

  it('round-trips whatever the chunking', () => {
    for (const chunk of [1, 7, 64, 100_000]) {
      expect(read(archive(files), chunk)).toEqual(files);
    }
  });

  it('refuses truncation, trailing bytes and a wrong file count', () => {
    const good = archive(files);
    expect(() => read(good.subarray(0, good.length - 3), 10)).toThrow(expect.objectContaining({ code: 'HAVEN_KEYS_BACKUP_INVALID' }));
    expect(() => read(Buffer.concat([good, Buffer.from('x')]), 10)).toThrow(expect.objectContaining({ code: 'HAVEN_KEYS_BACKUP_INVALID' }));
    const wrongCount = Buffer.concat([entryHead({ path: 'a', size: 1 }), Buffer.from('a'), entryHead({ end: true, files: 2 })]);
    expect(() => read(wrongCount, 10)).toThrow(expect.objectContaining({ code: 'HAVEN_KEYS_BACKUP_INVALID' }));
  });

  it('refuses paths that escape the target directory', () => {
    for (const path of ['../x', 'a/../../b', '/etc/passwd', './a', 'a/.', '..', 'a\\b', '']) {
      expect(() => assertArchivePath(path)).toThrow(expect.objectContaining({ code: 'HAVEN_KEYS_BACKUP_INVALID' }));
    }
    expect(() => assertArchivePath('keys/audit-public/0123.pem')).not.toThrow();
    const evil = Buffer.concat([entryHead({ path: '../evil', size: 1 }), Buffer.from('a'), entryHead({ end: true, files: 1 })]);
    expect(() => read(evil, 100)).toThrow(expect.objectContaining({ code: 'HAVEN_KEYS_BACKUP_INVALID' }));
  });
});
