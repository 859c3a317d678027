/**
 * A minimal protocol-buffers encoder: just what ONNX export needs (varint, 64-bit and 32-bit
 * fixed, length-delimited and packed repeated fields). Messages are built bottom-up: encode a
 * child with its own writer, then embed its bytes with `message()`.
 *
 * Integers are JavaScript numbers; int64 values must be safe integers (|v| < 2^53), negative
 * values are written as ten-byte two's-complement varints, as protobuf requires for int32/int64.
 */

/** Protobuf wire types. */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

const utf8 = new TextEncoder();

/** Growable byte buffer with protobuf field writers. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) {
      return;
    }
    let size = this.buf.length * 2;
    while (size < this.len + extra) {
      size *= 2;
    }
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /**
   * Append a raw varint (no tag).
   * @param v - a safe integer; negative values become 64-bit two's complement
   */
  rawVarint(v: number): this {
    if (!Number.isSafeInteger(v)) {
      throw new RangeError('varint value must be a safe integer');
    }
    this.ensure(10);
    if (v >= 0) {
      while (v >= 0x80) {
        this.buf[this.len++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
      this.buf[this.len++] = v;
      return this;
    }
    let x = BigInt.asUintN(64, BigInt(v));
    for (let i = 0; i < 9; i++) {
      this.buf[this.len++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.len++] = Number(x);
    return this;
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  /**
   * A varint field (int32, int64, enum, bool).
   * @param field - field number
   * @param v - safe integer
   */
  varint(field: number, v: number): this {
    this.tag(field, WIRE.varint);
    return this.rawVarint(v);
  }

  /**
   * A `float` field (fixed32, IEEE single precision, rounded to nearest).
   * @param field - field number
   * @param v - value
   */
  float(field: number, v: number): this {
    this.tag(field, WIRE.fixed32);
    this.ensure(4);
    this.view.setFloat32(this.len, v, true);
    this.len += 4;
    return this;
  }

  /**
   * A `double` field (fixed64).
   * @param field - field number
   * @param v - value
   */
  double(field: number, v: number): this {
    this.tag(field, WIRE.fixed64);
    this.ensure(8);
    this.view.setFloat64(this.len, v, true);
    this.len += 8;
    return this;
  }

  /**
   * A length-delimited `bytes` field.
   * @param field - field number
   * @param b - payload
   */
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, WIRE.bytes);
    this.rawVarint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /**
   * A `string` field (UTF-8).
   * @param field - field number
   * @param s - text
   */
  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s));
  }

  /**
   * An embedded message field.
   * @param field - field number
   * @param child - the child message's writer (or its finished bytes)
   */
  message(field: number, child: ProtoWriter | Uint8Array): this {
    return this.bytes(field, child instanceof ProtoWriter ? child.finish() : child);
  }

  /**
   * A packed repeated varint field (int32/int64/enum); nothing is written for an empty list.
   * @param field - field number
   * @param values - safe integers
   */
  packedVarints(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) {
      return this;
    }
    const inner = new ProtoWriter();
    for (let i = 0; i < values.length; i++) {
      inner.rawVarint(values[i]!);
    }
    return this.message(field, inner);
  }

  /**
   * A packed repeated `float` field (each value rounded to single precision).
   * @param field - field number
   * @param values - values
   */
  packedFloats(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) {
      return this;
    }
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < values.length; i++) {
      dv.setFloat32(i * 4, values[i]!, true);
    }
    return this.bytes(field, b);
  }

  /**
   * A packed repeated `double` field.
   * @param field - field number
   * @param values - values
   */
  packedDoubles(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) {
      return this;
    }
    const b = new Uint8Array(values.length * 8);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < values.length; i++) {
      dv.setFloat64(i * 8, values[i]!, true);
    }
    return this.bytes(field, b);
  }

  /** The encoded bytes so far (a copy, so the writer may be reused). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
