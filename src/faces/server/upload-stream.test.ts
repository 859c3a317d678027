import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { peekUpload, thenCheck } from './upload-stream.js';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) {
    yield Buffer.from(p);
  }
}

async function text(source: AsyncIterable<Uint8Array>): Promise<string> {
  const out: Uint8Array[] = [];
  for await (const c of source) {
    out.push(c);
  }
  return Buffer.concat(out).toString();
}

describe('peekUpload', () => {
  it('looks at the first bytes across chunk boundaries and loses none', async () => {
    const peeked = await peekUpload(chunks('P', 'K\u0003', '\u0004rest', 'more'), 4);
    expect(Buffer.from(peeked.head).toString()).toBe('PK\u0003\u0004');
    expect(await text(peeked.bytes)).toBe('PK\u0003\u0004restmore');
  });

  it('a source shorter than asked gives what there is', async () => {
    const peeked = await peekUpload(chunks('ab'), 4);
    expect(Buffer.from(peeked.head).toString()).toBe('ab');
    expect(await text(peeked.bytes)).toBe('ab');
    const empty = await peekUpload(chunks(), 4);
    expect(empty.head.length).toBe(0);
    expect(await text(empty.bytes)).toBe('');
  });
});

describe('thenCheck', () => {
  it('runs the check after the last byte and before the reader sees the end; its failure fails the read', async () => {
    const seen: string[] = [];
    const ok = thenCheck(chunks('a', 'b'), async () => {
      seen.push('check');
    });
    for await (const c of ok) {
      seen.push(Buffer.from(c).toString());
    }
    expect(seen).toEqual(['a', 'b', 'check']);
    const failing = thenCheck(chunks('a'), async () => {
      throw new Error('second part');
    });
    await expect(text(failing)).rejects.toThrow('second part');
  });
});
