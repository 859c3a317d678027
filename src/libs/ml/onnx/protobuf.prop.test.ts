import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { MAX_DEPTH, ProtoReader } from './protobuf-reader.js';
import { ProtoWriter, WIRE } from './protobuf-writer.js';

type Field =
  | { kind: 'varint'; field: number; v: number }
  | { kind: 'double'; field: number; v: number }
  | { kind: 'float'; field: number; v: number }
  | { kind: 'string'; field: number; v: string }
  | { kind: 'ints'; field: number; v: number[] }
  | { kind: 'doubles'; field: number; v: number[] }
  | { kind: 'floats'; field: number; v: number[] }
  | { kind: 'message'; field: number; v: Field[] };

const fieldNo = fc.integer({ min: 1, max: (1 << 29) - 1 });
const int64 = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

const fieldArb: fc.Arbitrary<Field> = fc.letrec<{ f: Field }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('varint' as const), field: fieldNo, v: int64 }),
    fc.record({ kind: fc.constant('double' as const), field: fieldNo, v: fc.double() }),
    fc.record({ kind: fc.constant('float' as const), field: fieldNo, v: fc.float() }),
    fc.record({ kind: fc.constant('string' as const), field: fieldNo, v: fc.string({ unit: 'grapheme' }) }),
    fc.record({ kind: fc.constant('ints' as const), field: fieldNo, v: fc.array(int64, { minLength: 1 }) }),
    fc.record({ kind: fc.constant('doubles' as const), field: fieldNo, v: fc.array(fc.double(), { minLength: 1 }) }),
    fc.record({ kind: fc.constant('floats' as const), field: fieldNo, v: fc.array(fc.float(), { minLength: 1 }) }),
    fc.record({ kind: fc.constant('message' as const), field: fieldNo, v: fc.array(tie('f'), { maxLength: 4 }) }),
  ),
})).f;

function write(fields: Field[]): ProtoWriter {
  const w = new ProtoWriter();
  for (const f of fields) {
    switch (f.kind) {
      case 'varint':
        w.varint(f.field, f.v);
        break;
      case 'double':
        w.double(f.field, f.v);
        break;
      case 'float':
        w.float(f.field, f.v);
        break;
      case 'string':
        w.string(f.field, f.v);
        break;
      case 'ints':
        w.packedVarints(f.field, f.v);
        break;
      case 'doubles':
        w.packedDoubles(f.field, f.v);
        break;
      case 'floats':
        w.packedFloats(f.field, f.v);
        break;
      case 'message':
        w.message(f.field, write(f.v));
        break;
    }
  }
  return w;
}

/** Decode with the schema known from the written fields (as a real decoder knows its .proto). */
function read(r: ProtoReader, schema: Field[]): Field[] {
  const out: Field[] = [];
  for (const s of schema) {
    const { field, wire } = r.tag();
    expect(field).toBe(s.field);
    switch (s.kind) {
      case 'varint':
        out.push({ ...s, v: r.varint(wire) });
        break;
      case 'double':
        out.push({ ...s, v: r.double(wire) });
        break;
      case 'float':
        out.push({ ...s, v: r.float(wire) });
        break;
      case 'string':
        out.push({ ...s, v: r.string(wire) });
        break;
      case 'ints':
        out.push({ ...s, v: r.varints(wire, []) });
        break;
      case 'doubles':
        out.push({ ...s, v: r.reals(wire, 8, []) });
        break;
      case 'floats':
        out.push({ ...s, v: r.reals(wire, 4, []) });
        break;
      case 'message':
        out.push({ ...s, v: read(r.message(wire), s.v) });
        break;
    }
  }
  expect(r.done()).toBe(true);
  return out;
}

/** What a lossless round trip gives back: floats come back rounded to single precision. */
function expected(fields: Field[]): Field[] {
  return fields.map((f) => {
    if (f.kind === 'float') {
      return { ...f, v: Math.fround(f.v) };
    }
    if (f.kind === 'floats') {
      return { ...f, v: f.v.map(Math.fround) };
    }
    return f.kind === 'message' ? { ...f, v: expected(f.v) } : f;
  });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof HavenError) {
      return e.code;
    }
    throw e;
  }
}

/** Skip every field of a message recursively trying each length-delimited field as a message. */
function walk(r: ProtoReader): void {
  while (!r.done()) {
    const { wire } = r.tag();
    if (wire === WIRE.bytes) {
      try {
        walk(r.message(wire));
      } catch (e) {
        if (!(e instanceof HavenError)) {
          throw e;
        }
      }
    } else {
      r.skip(wire);
    }
  }
}

describe('protobuf writer/reader', () => {
  it('round-trips any nesting of varints (incl. negative int64), doubles, floats, strings and packed arrays', () => {
    fc.assert(
      fc.property(fc.array(fieldArb, { maxLength: 8 }), (fields) => {
        const bytes = write(fields).finish();
        expect(read(new ProtoReader(bytes), fields)).toEqual(expected(fields));
      }),
      { numRuns: 300 },
    );
  });

  it('encodes varints like the protobuf spec (150 → 96 01; −1 → ten bytes)', () => {
    expect([...new ProtoWriter().varint(1, 150).finish()]).toEqual([0x08, 0x96, 0x01]);
    expect([...new ProtoWriter().rawVarint(-1).finish()]).toEqual([...Array(9).fill(0xff), 0x01]);
    expect(new ProtoReader(new ProtoWriter().rawVarint(-1).finish()).rawVarint()).toBe(-1);
    expect(new ProtoReader(new ProtoWriter().rawVarint(2 ** 53 - 1).finish()).rawVarint()).toBe(2 ** 53 - 1);
  });

  it('counts packed varints without decoding them', () => {
    fc.assert(
      fc.property(fc.array(int64, { minLength: 1 }), (values) => {
        const r = new ProtoReader(new ProtoWriter().packedVarints(1, values).finish());
        expect(r.countVarints(r.tag().wire)).toBe(values.length);
      }),
    );
    const cut = new ProtoReader(Uint8Array.of(0x0a, 0x02, 0x01, 0x80));
    expect(codeOf(() => cut.countVarints(cut.tag().wire))).toBe('HAVEN_ONNX_MALFORMED');
  });

  it('reads unpacked repeated fields as well as packed ones', () => {
    const w = new ProtoWriter().varint(3, 7).varint(3, -2).double(4, 1.5).double(4, -0.25);
    const r = new ProtoReader(w.finish());
    const ints: number[] = [];
    const reals: number[] = [];
    while (!r.done()) {
      const { field, wire } = r.tag();
      if (field === 3) {
        r.varints(wire, ints);
      } else {
        r.reals(wire, 8, reals);
      }
    }
    expect(ints).toEqual([7, -2]);
    expect(reals).toEqual([1.5, -0.25]);
  });

  it('throws HAVEN_ONNX_MALFORMED (never a RangeError or a crash) on every truncation of a message', () => {
    fc.assert(
      fc.property(fc.array(fieldArb, { minLength: 1, maxLength: 6 }), fc.double({ min: 0, max: 1, maxExcluded: true }), (fields, cut) => {
        const bytes = write(fields).finish();
        const prefix = bytes.subarray(0, Math.floor(cut * bytes.length));
        // Reading the full schema from a strict prefix must fail with the coded error.
        expect(codeOf(() => read(new ProtoReader(prefix), fields))).toBe('HAVEN_ONNX_MALFORMED');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but HAVEN_ONNX_MALFORMED on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const code = codeOf(() => walk(new ProtoReader(bytes)));
        expect([undefined, 'HAVEN_ONNX_MALFORMED']).toContain(code);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects group wire types, field 0, overlong varints, bad UTF-8 and nesting beyond MAX_DEPTH', () => {
    expect(codeOf(() => new ProtoReader(Uint8Array.of(0x0b)).tag())).toBe('HAVEN_ONNX_MALFORMED'); // field 1, wire 3
    expect(codeOf(() => new ProtoReader(Uint8Array.of(0x00)).tag())).toBe('HAVEN_ONNX_MALFORMED');
    expect(codeOf(() => new ProtoReader(Uint8Array.from([...Array(10).fill(0xff), 0x01])).rawVarint())).toBe('HAVEN_ONNX_MALFORMED');
    const badUtf8 = Uint8Array.of(0x0a, 0x01, 0xff);
    const r = new ProtoReader(badUtf8);
    expect(codeOf(() => r.string(r.tag().wire))).toBe('HAVEN_ONNX_MALFORMED');
    let deep = new ProtoWriter().varint(1, 1);
    for (let i = 0; i <= MAX_DEPTH; i++) {
      deep = new ProtoWriter().message(1, deep);
    }
    const descend = (x: ProtoReader): void => {
      const { wire } = x.tag();
      if (wire === WIRE.bytes) {
        descend(x.message(wire));
      }
    };
    expect(codeOf(() => descend(new ProtoReader(deep.finish())))).toBe('HAVEN_ONNX_MALFORMED');
  });

  it('checks the wire type against the field kind', () => {
    const r = new ProtoReader(new ProtoWriter().varint(1, 5).finish());
    expect(codeOf(() => r.string(r.tag().wire))).toBe('HAVEN_ONNX_MALFORMED');
  });
});
