// A minimal protobuf encoder: enough wire format to write an ONNX ModelProto without an npm package.

/** Protobuf wire types (the low 3 bits of a field key). */
export const WireType = { VARINT: 0, FIXED64: 1, LENGTH_DELIMITED: 2, FIXED32: 5 } as const;

const TWO_POW_32 = 4294967296;

/**
 * Appends protobuf fields to a growing byte buffer. Integers are written as int64 varints, so a
 * negative value takes ten bytes (two's complement), exactly as protobuf's int32/int64 do.
 */
export class ProtobufWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.len;
  }

  /** A varint field (int32, int64, uint64, bool, enum). */
  int64(field: number, value: number | bigint): this {
    this.key(field, WireType.VARINT);
    return this.varint(value);
  }

  bool(field: number, value: boolean): this {
    return this.int64(field, value ? 1 : 0);
  }

  /** A `string` field, UTF-8 encoded. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A `bytes` field, or an already-encoded embedded message. */
  bytes(field: number, value: Uint8Array): this {
    this.key(field, WireType.LENGTH_DELIMITED);
    this.varint(value.length);
    return this.rawBytes(value);
  }

  /** An embedded message built by `build` on a fresh writer. */
  message(field: number, build: (w: ProtobufWriter) => void): this {
    const inner = new ProtobufWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** A 32-bit little-endian field (`fixed32`). */
  fixed32(field: number, value: number): this {
    this.key(field, WireType.FIXED32);
    this.ensure(4);
    this.view.setUint32(this.len, value >>> 0, true);
    this.len += 4;
    return this;
  }

  /** A 64-bit little-endian field (`fixed64`). */
  fixed64(field: number, value: number | bigint): this {
    this.key(field, WireType.FIXED64);
    this.ensure(8);
    this.view.setBigUint64(this.len, BigInt.asUintN(64, BigInt(value)), true);
    this.len += 8;
    return this;
  }

  /** A `float` field (IEEE-754 single, fixed32 wire type). */
  float(field: number, value: number): this {
    this.key(field, WireType.FIXED32);
    this.ensure(4);
    this.view.setFloat32(this.len, value, true);
    this.len += 4;
    return this;
  }

  /** A `double` field (IEEE-754 double, fixed64 wire type). */
  double(field: number, value: number): this {
    this.key(field, WireType.FIXED64);
    this.ensure(8);
    this.view.setFloat64(this.len, value, true);
    this.len += 8;
    return this;
  }

  /** Packed repeated int64 (one length-delimited run of varints); nothing when empty, as protobuf does. */
  packedInt64(field: number, values: ArrayLike<number | bigint>): this {
    if (values.length === 0) return this;
    const inner = new ProtobufWriter();
    for (let i = 0; i < values.length; i++) inner.varint(values[i]!);
    return this.bytes(field, inner.finish());
  }

  /** Packed repeated float. */
  packedFloat(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    this.key(field, WireType.LENGTH_DELIMITED);
    this.varint(values.length * 4);
    this.ensure(values.length * 4);
    for (let i = 0; i < values.length; i++, this.len += 4) this.view.setFloat32(this.len, values[i]!, true);
    return this;
  }

  /** Packed repeated double. */
  packedDouble(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    this.key(field, WireType.LENGTH_DELIMITED);
    this.varint(values.length * 8);
    this.ensure(values.length * 8);
    for (let i = 0; i < values.length; i++, this.len += 8) this.view.setFloat64(this.len, values[i]!, true);
    return this;
  }

  /** A bare varint with no field key (the body of a packed run, or a length prefix). */
  varint(value: number | bigint): this {
    this.ensure(10);
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new RangeError(`varint value ${value} is not a safe integer`);
      if (value >= 0 && value < TWO_POW_32) {
        // Below 2^32 (ids, lengths: nearly every call) plain arithmetic is enough and avoids BigInt.
        let v = value;
        while (v >= 128) {
          this.buf[this.len++] = v % 128 | 128;
          v = Math.floor(v / 128);
        }
        this.buf[this.len++] = v;
        return this;
      }
      value = BigInt(value);
    }
    let v = BigInt.asUintN(64, value);
    while (v >= 128n) {
      this.buf[this.len++] = Number(v & 127n) | 128;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
    return this;
  }

  /** A copy of the bytes written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  private key(field: number, wireType: number): void {
    if (!Number.isInteger(field) || field < 1 || field > 536870911)
      throw new RangeError(`bad protobuf field number ${field}`);
    this.varint(field * 8 + wireType);
  }

  private rawBytes(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

/** The varint encoding of one value (int64 semantics), e.g. 300 → `ac 02`. */
export function encodeVarint(value: number | bigint): Uint8Array {
  return new ProtobufWriter().varint(value).finish();
}
