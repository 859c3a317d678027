/**
 * A minimal, defensive protocol-buffers decoder for untrusted bytes. Every read is bounds-checked;
 * anything that is not well-formed protobuf (bad varint, length past the end, group or reserved wire
 * types, field number 0, invalid UTF-8, nesting deeper than MAX_DEPTH) throws HAVEN_ONNX_MALFORMED
 * with the byte offset, never a RangeError or a stack overflow.
 */
import { HavenError } from '../../../errors/haven-error.js';
import { WIRE } from './protobuf-writer.js';

/** Deepest message nesting accepted (a model → graph → node → attribute → graph chain uses 4 per level). */
export const MAX_DEPTH = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function malformed(offset: number, reason: string): never {
  throw new HavenError('HAVEN_ONNX_MALFORMED', undefined, { detail: { offset, reason } });
}

/** Sequential reader over one message's bytes. */
export class ProtoReader {
  private pos: number;
  private readonly end: number;
  private readonly view: DataView;

  /**
   * @param bytes - the whole buffer
   * @param start - first byte of this message
   * @param end - one past its last byte
   * @param depth - nesting level (0 for the top message)
   */
  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    end = bytes.length,
    readonly depth = 0,
  ) {
    if (depth > MAX_DEPTH) {
      malformed(start, 'nesting too deep');
    }
    this.pos = start;
    this.end = end;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Absolute offset of the next byte (for error details). */
  get offset(): number {
    return this.pos;
  }

  /** True when the whole message has been read. */
  done(): boolean {
    return this.pos >= this.end;
  }

  /**
   * Read a raw varint as a signed 64-bit integer converted to a number (exact below 2^53).
   * @returns the value
   */
  rawVarint(): number {
    let result = 0;
    let mul = 1;
    // Up to 7 bytes (49 bits) stay exact in a double; longer varints go through BigInt.
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) {
        malformed(this.pos, 'truncated varint');
      }
      const b = this.bytes[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        return result;
      }
      mul *= 0x80;
    }
    let big = BigInt(result);
    let shift = 49n;
    for (let i = 7; i < 10; i++) {
      if (this.pos >= this.end) {
        malformed(this.pos, 'truncated varint');
      }
      const b = this.bytes[this.pos++]!;
      if (i === 9 && b > 1) {
        malformed(this.pos - 1, 'varint overflows 64 bits');
      }
      big |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        return Number(BigInt.asIntN(64, big));
      }
      shift += 7n;
    }
    return malformed(this.pos, 'varint longer than 10 bytes');
  }

  /**
   * Read the next field's tag.
   * @returns the field number and wire type
   */
  tag(): { field: number; wire: number } {
    const at = this.pos;
    const t = this.rawVarint();
    if (t < 0 || t > 0xffffffff) {
      malformed(at, 'bad tag');
    }
    const field = Math.floor(t / 8);
    const wire = t % 8;
    if (field === 0) {
      malformed(at, 'field number 0');
    }
    if (wire !== WIRE.varint && wire !== WIRE.fixed64 && wire !== WIRE.bytes && wire !== WIRE.fixed32) {
      malformed(at, 'unsupported wire type');
    }
    return { field, wire };
  }

  private expectWire(actual: number, expected: number): void {
    if (actual !== expected) {
      malformed(this.pos, 'wire type does not match the field');
    }
  }

  /**
   * A varint field's value.
   * @param wire - the wire type from `tag()` (checked)
   */
  varint(wire: number): number {
    this.expectWire(wire, WIRE.varint);
    return this.rawVarint();
  }

  private take(n: number): number {
    if (n < 0 || n > this.end - this.pos) {
      malformed(this.pos, 'length past the end of the message');
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /**
   * A `float` (fixed32) field's value.
   * @param wire - the wire type from `tag()` (checked)
   */
  float(wire: number): number {
    this.expectWire(wire, WIRE.fixed32);
    return this.view.getFloat32(this.take(4), true);
  }

  /**
   * A `double` (fixed64) field's value.
   * @param wire - the wire type from `tag()` (checked)
   */
  double(wire: number): number {
    this.expectWire(wire, WIRE.fixed64);
    return this.view.getFloat64(this.take(8), true);
  }

  private span(wire: number): [number, number] {
    this.expectWire(wire, WIRE.bytes);
    const n = this.rawVarint();
    const at = this.take(n);
    return [at, at + n];
  }

  /**
   * A length-delimited field's bytes (a view into the buffer, not a copy).
   * @param wire - the wire type from `tag()` (checked)
   */
  bytesField(wire: number): Uint8Array {
    const [a, b] = this.span(wire);
    return this.bytes.subarray(a, b);
  }

  /**
   * A `string` field (must be valid UTF-8).
   * @param wire - the wire type from `tag()` (checked)
   */
  string(wire: number): string {
    const [a, b] = this.span(wire);
    try {
      return utf8.decode(this.bytes.subarray(a, b));
    } catch {
      return malformed(a, 'invalid UTF-8');
    }
  }

  /**
   * An embedded message: a reader over its bytes, one level deeper.
   * @param wire - the wire type from `tag()` (checked)
   */
  message(wire: number): ProtoReader {
    const [a, b] = this.span(wire);
    return new ProtoReader(this.bytes, a, b, this.depth + 1);
  }

  /**
   * A repeated varint field, packed (one length-delimited run) or not (one value per tag).
   * @param wire - the wire type from `tag()`
   * @param into - values are appended here
   */
  varints(wire: number, into: number[]): number[] {
    if (wire === WIRE.varint) {
      into.push(this.rawVarint());
      return into;
    }
    const [a, b] = this.span(wire);
    const inner = new ProtoReader(this.bytes, a, b, this.depth + 1);
    while (!inner.done()) {
      into.push(inner.rawVarint());
    }
    return into;
  }

  /**
   * How many values a repeated varint field holds (packed or one unpacked value), without decoding them.
   * @param wire - the wire type from `tag()`
   */
  countVarints(wire: number): number {
    if (wire === WIRE.varint) {
      this.rawVarint();
      return 1;
    }
    const [a, b] = this.span(wire);
    let n = 0;
    for (let p = a; p < b; p++) {
      if (this.bytes[p]! < 0x80) {
        n++;
      }
    }
    if (b > a && this.bytes[b - 1]! >= 0x80) {
      malformed(b - 1, 'truncated varint');
    }
    return n;
  }

  /**
   * A repeated `float` or `double` field, packed or not.
   * @param wire - the wire type from `tag()`
   * @param width - 4 for float, 8 for double
   * @param into - values are appended here
   */
  reals(wire: number, width: 4 | 8, into: number[]): number[] {
    const single = width === 4 ? WIRE.fixed32 : WIRE.fixed64;
    if (wire === single) {
      into.push(width === 4 ? this.float(wire) : this.double(wire));
      return into;
    }
    const [a, b] = this.span(wire);
    if ((b - a) % width !== 0) {
      malformed(a, 'packed length is not a multiple of the element size');
    }
    for (let p = a; p < b; p += width) {
      into.push(width === 4 ? this.view.getFloat32(p, true) : this.view.getFloat64(p, true));
    }
    return into;
  }

  /**
   * Skip a field of any supported wire type.
   * @param wire - the wire type from `tag()`
   */
  skip(wire: number): void {
    switch (wire) {
      case WIRE.varint:
        this.rawVarint();
        return;
      case WIRE.fixed64:
        this.take(8);
        return;
      case WIRE.fixed32:
        this.take(4);
        return;
      default:
        this.span(wire);
    }
  }
}
