import { createCipheriv } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { HavenError } from '../../errors/haven-error.js';
import { canonicalEncode } from './aead-core.js';
import { createDecryptStream, createEncryptStream, streamChunkNonce } from './stream-aead.js';
import type { StreamKey } from './stream-aead.js';

const KEY: StreamKey = { id: 'art.model1', version: 2, key: Buffer.alloc(32, 0x33) };
const AAD = Buffer.from('artifact:model1');
const CS = 64;
const HEADER = 6 + KEY.id.length + 16;

function* pieces(data: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < data.length; i += size) {
    yield data.subarray(i, i + size);
  }
}

async function run(t: Transform, input: Buffer, pieceSize = 7): Promise<Buffer> {
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      out.push(chunk);
      cb();
    },
  });
  await pipeline(Readable.from(pieces(input, pieceSize)), t, sink);
  return Buffer.concat(out);
}

const data = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff));
const encrypt = (plain: Buffer, chunkSize = CS, aad: Buffer = AAD): Promise<Buffer> => run(createEncryptStream(KEY, { aad, chunkSize }), plain);
const decrypt = (wire: Buffer, keys: Parameters<typeof createDecryptStream>[0] = KEY, aad: Buffer = AAD): Promise<Buffer> =>
  run(createDecryptStream(keys, { aad }), wire, 13);

async function expectDecryptFailed(p: Promise<unknown>): Promise<void> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(HavenError);
  expect((err as HavenError).code).toBe('HAVEN_CRYPTO_DECRYPT_FAILED');
  expect((err as HavenError).message).toBe('decryption failed');
}

describe('stream AEAD: round trip and format', () => {
  it('round-trips lengths around chunk boundaries, whatever the write sizes', async () => {
    for (const n of [0, 1, CS - 1, CS, CS + 1, 2 * CS, 3 * CS + 5]) {
      const plain = data(n);
      const wire = await encrypt(plain);
      const full = Math.floor(n / CS);
      expect(wire.length).toBe(HEADER + full * (CS + 16) + (n - full * CS) + 16);
      expect((await decrypt(wire)).equals(plain)).toBe(true);
      expect((await run(createDecryptStream(KEY, { aad: AAD }), wire, 1)).equals(plain)).toBe(true);
    }
  });

  it('known answer: header layout and first chunk equal raw AES-256-GCM with the derived nonce and AAD', async () => {
    const prefix = Buffer.from('0102030405060708', 'hex');
    const plain = data(CS + 3);
    const wire = await run(createEncryptStream(KEY, { aad: AAD, chunkSize: CS, random: () => prefix }), plain);
    const header = wire.subarray(0, HEADER);
    expect(header.toString('latin1', 0, 4)).toBe('HVNS');
    expect(header[4]).toBe(1);
    expect(header[5]).toBe(KEY.id.length);
    expect(header.toString('latin1', 6, 6 + KEY.id.length)).toBe(KEY.id);
    expect(header.readUInt32BE(6 + KEY.id.length)).toBe(2);
    expect(header.readUInt32BE(10 + KEY.id.length)).toBe(CS);
    expect(header.subarray(14 + KEY.id.length).equals(prefix)).toBe(true);
    const sealChunk = (i: number, final: boolean, p: Buffer): Buffer => {
      const nonce = Buffer.concat([prefix, Buffer.from([0, 0, 0, i])]);
      const c = createCipheriv('aes-256-gcm', KEY.key, nonce);
      c.setAAD(Buffer.concat([canonicalEncode(['haven.stream.v1', header, AAD]), Buffer.from([0, 0, 0, i, final ? 1 : 0])]));
      return Buffer.concat([c.update(p), c.final(), c.getAuthTag()]);
    };
    expect(wire.subarray(HEADER).equals(Buffer.concat([sealChunk(0, false, plain.subarray(0, CS)), sealChunk(1, true, plain.subarray(CS))]))).toBe(true);
  });

  it('emits output before the input ends (bounded memory) and round-trips 1 MiB at the default chunk size', async () => {
    const enc = createEncryptStream(KEY);
    let seen = 0;
    enc.on('data', (c: Buffer) => {
      seen += c.length;
    });
    enc.write(data(200_000));
    await new Promise((r) => setImmediate(r));
    expect(seen).toBeGreaterThanOrEqual(3 * (65_536 + 16));
    enc.end();
    const plain = data(1 << 20);
    const wire = await run(createEncryptStream(KEY), plain, 50_000);
    expect((await run(createDecryptStream(KEY), wire, 70_000)).equals(plain)).toBe(true);
  });

  it('uses a random nonce prefix: two encryptions differ', async () => {
    const plain = data(10);
    expect((await encrypt(plain)).equals(await encrypt(plain))).toBe(false);
  });

  it('decrypts through a resolver', async () => {
    const wire = await encrypt(data(100));
    const resolver = (id: string, version: number) => (id === KEY.id && version === KEY.version ? KEY : undefined);
    expect((await decrypt(wire, resolver)).equals(data(100))).toBe(true);
    await expectDecryptFailed(decrypt(wire, () => undefined));
  });
});

describe('stream AEAD: tampering fails with the fixed error', () => {
  const plain = data(3 * CS + 10); // chunks 0,1,2 full; chunk 3 final
  const W = CS + 16;
  const cut = (wire: Buffer, i: number): Buffer => wire.subarray(HEADER + i * W, Math.min(HEADER + (i + 1) * W, wire.length));

  it('wrong key, other AAD, other key id or version', async () => {
    const wire = await encrypt(plain);
    await expectDecryptFailed(decrypt(wire, { ...KEY, key: Buffer.alloc(32, 1) }));
    await expectDecryptFailed(decrypt(wire, KEY, Buffer.from('artifact:model2')));
    await expectDecryptFailed(decrypt(wire, { ...KEY, id: 'art.model2' }));
    await expectDecryptFailed(decrypt(wire, { ...KEY, version: 3 }));
  });

  it('a bit flip in the header or any chunk', async () => {
    const wire = await encrypt(plain);
    for (const at of [0, 4, 5, 8, HEADER - 9, HEADER - 5, HEADER - 1, HEADER, HEADER + W - 1, HEADER + 2 * W + 3, wire.length - 1]) {
      const bad = Buffer.from(wire);
      bad[at]! ^= 0x04;
      await expectDecryptFailed(decrypt(bad));
    }
  });

  it('truncation: the final chunk dropped (at a chunk boundary), mid-chunk, header only, nothing', async () => {
    const wire = await encrypt(plain);
    await expectDecryptFailed(decrypt(wire.subarray(0, HEADER + 3 * W)));
    await expectDecryptFailed(decrypt(wire.subarray(0, wire.length - 1)));
    await expectDecryptFailed(decrypt(wire.subarray(0, HEADER + 10)));
    await expectDecryptFailed(decrypt(wire.subarray(0, HEADER)));
    await expectDecryptFailed(decrypt(wire.subarray(0, 3)));
    await expectDecryptFailed(decrypt(Buffer.alloc(0)));
    // Exact multiple of the chunk size: the empty final chunk is what proves the end.
    const even = await encrypt(data(2 * CS));
    await expectDecryptFailed(decrypt(even.subarray(0, even.length - 16)));
  });

  it('reordered, dropped, duplicated or appended chunks', async () => {
    const wire = await encrypt(plain);
    const head = wire.subarray(0, HEADER);
    const [c0, c1, c2, c3] = [0, 1, 2, 3].map((i) => cut(wire, i)) as [Buffer, Buffer, Buffer, Buffer];
    await expectDecryptFailed(decrypt(Buffer.concat([head, c1, c0, c2, c3])));
    await expectDecryptFailed(decrypt(Buffer.concat([head, c0, c2, c3])));
    await expectDecryptFailed(decrypt(Buffer.concat([head, c0, c1, c1, c2, c3])));
    await expectDecryptFailed(decrypt(Buffer.concat([wire, Buffer.from('x')])));
    await expectDecryptFailed(decrypt(Buffer.concat([wire, c0])));
    // A chunk from another stream under the same key (different nonce prefix) is refused too.
    const other = await encrypt(plain);
    await expectDecryptFailed(decrypt(Buffer.concat([head, c0, cut(other, 1), c2, c3])));
  });

  it('a hostile header: bad magic, version, empty key id, chunk size outside the limits', async () => {
    const wire = await encrypt(plain);
    const big = Buffer.from(wire);
    big.writeUInt32BE(32 * 1024 * 1024, 10 + KEY.id.length);
    await expectDecryptFailed(decrypt(big));
    const small = Buffer.from(wire);
    small.writeUInt32BE(8, 10 + KEY.id.length);
    await expectDecryptFailed(decrypt(small));
    const noId = Buffer.from(wire);
    noId[5] = 0;
    await expectDecryptFailed(decrypt(noId));
    const bigStream = await run(createEncryptStream(KEY, { chunkSize: 1024 }), data(10));
    await expectDecryptFailed(run(createDecryptStream(KEY, { maxChunkSize: 512 }), bigStream));
  });
});

describe('stream AEAD: arguments', () => {
  it('refuses bad keys, chunk sizes and random sources with specific codes', () => {
    const code = (fn: () => unknown): string => {
      try {
        fn();
      } catch (err) {
        return (err as HavenError).code;
      }
      return 'none';
    };
    expect(code(() => createEncryptStream({ ...KEY, key: Buffer.alloc(16) }))).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(code(() => createEncryptStream({ ...KEY, id: '' }))).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(code(() => createEncryptStream({ ...KEY, version: -1 }))).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(code(() => createEncryptStream(KEY, { chunkSize: 15 }))).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(code(() => createEncryptStream(KEY, { chunkSize: 16 * 1024 * 1024 + 1 }))).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(code(() => createEncryptStream(KEY, { random: () => Buffer.alloc(4) }))).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(code(() => createDecryptStream(KEY, { maxChunkSize: 1 }))).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(code(() => createEncryptStream(KEY, { chunkSize: 16 }))).toBe('none');
  });

  it('chunk nonces are prefix ‖ u32 counter, and a 2^32-chunk stream is refused', () => {
    const prefix = Buffer.from('0001020304050607', 'hex');
    expect(streamChunkNonce(prefix, 0).toString('hex')).toBe('000102030405060700000000');
    expect(streamChunkNonce(prefix, 2 ** 32 - 1).toString('hex')).toBe('0001020304050607ffffffff');
    for (const [p, n] of [[prefix, 2 ** 32], [prefix, -1], [prefix, 1.5], [Buffer.alloc(7), 0]] as const) {
      let code = 'none';
      try {
        streamChunkNonce(p, n);
      } catch (err) {
        code = (err as HavenError).code;
      }
      expect(code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    }
  });

  it('an encryption failure mid-stream (or at the end) becomes a stream error, not a crash', async () => {
    // A key object whose bytes go bad after validation: the failure surfaces inside transform/flush.
    const flaky = (): StreamKey => {
      let reads = 0;
      return { id: KEY.id, version: KEY.version, get key() { return reads++ === 0 ? KEY.key : Buffer.alloc(5); } };
    };
    for (const input of [data(3 * CS), Buffer.alloc(0)]) {
      const err = await run(createEncryptStream(flaky(), { chunkSize: CS }), input).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(HavenError);
      expect((err as HavenError).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    }
  });

  it('a resolver returning a key of the wrong length fails the stream, not the process', async () => {
    const wire = await encrypt(data(10));
    await expectDecryptFailed(decrypt(wire, () => ({ ...KEY, key: Buffer.alloc(5) })));
  });
});

describe('stream AEAD: property', () => {
  it('round-trips any data, chunk size and write pattern', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 16, max: 100 }), fc.integer({ min: 1, max: 200 }), async (bytes, cs, piece) => {
        const plain = Buffer.from(bytes);
        const wire = await run(createEncryptStream(KEY, { chunkSize: cs }), plain, piece);
        expect((await run(createDecryptStream(KEY), wire, piece)).equals(plain)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
