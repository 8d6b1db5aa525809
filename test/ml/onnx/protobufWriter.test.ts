// The protobuf writer against known byte encodings (protobuf's own examples), and the reader against it.
import { describe, expect, it } from 'vitest';
import { readProtoFields, readRepeatedInt64, readStrings } from '../../../src/ml/onnx/protobufReader.js';
import { encodeVarint, ProtobufWriter } from '../../../src/ml/onnx/protobufWriter.js';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

describe('ProtobufWriter', () => {
  it('encodes varints', () => {
    expect(hex(encodeVarint(0))).toBe('00');
    expect(hex(encodeVarint(1))).toBe('01');
    expect(hex(encodeVarint(127))).toBe('7f');
    expect(hex(encodeVarint(128))).toBe('80 01');
    expect(hex(encodeVarint(300))).toBe('ac 02');
    expect(hex(encodeVarint(2 ** 31))).toBe('80 80 80 80 08');
    expect(hex(encodeVarint(2 ** 32))).toBe('80 80 80 80 10');
    expect(hex(encodeVarint(Number.MAX_SAFE_INTEGER))).toBe('ff ff ff ff ff ff ff 0f');
    expect(hex(encodeVarint(2n ** 63n))).toBe('80 80 80 80 80 80 80 80 80 01');
    // int64 −1 is ten bytes of two's complement.
    expect(hex(encodeVarint(-1))).toBe('ff ff ff ff ff ff ff ff ff 01');
    expect(hex(encodeVarint(-2n))).toBe('fe ff ff ff ff ff ff ff ff 01');
    expect(() => encodeVarint(1.5)).toThrow(RangeError);
  });

  it('writes keyed scalar, string and embedded-message fields', () => {
    expect(hex(new ProtobufWriter().int64(1, 150).finish())).toBe('08 96 01');
    expect(hex(new ProtobufWriter().string(2, 'testing').finish())).toBe('12 07 74 65 73 74 69 6e 67');
    expect(hex(new ProtobufWriter().message(3, (w) => w.int64(1, 150)).finish())).toBe('1a 03 08 96 01');
    expect(hex(new ProtobufWriter().bool(16, true).finish())).toBe('80 01 01'); // field 16 needs a 2-byte key
    expect(hex(new ProtobufWriter().string(1, 'é').finish())).toBe('0a 02 c3 a9');
    expect(() => new ProtobufWriter().int64(0, 1)).toThrow(RangeError);
  });

  it('writes fixed32, fixed64, float and double little-endian', () => {
    expect(hex(new ProtobufWriter().fixed32(1, 1).finish())).toBe('0d 01 00 00 00');
    expect(hex(new ProtobufWriter().fixed32(1, 0xdeadbeef).finish())).toBe('0d ef be ad de');
    expect(hex(new ProtobufWriter().fixed64(1, 1).finish())).toBe('09 01 00 00 00 00 00 00 00');
    expect(hex(new ProtobufWriter().fixed64(1, -1n).finish())).toBe('09 ff ff ff ff ff ff ff ff');
    expect(hex(new ProtobufWriter().float(2, 1.5).finish())).toBe('15 00 00 c0 3f');
    expect(hex(new ProtobufWriter().double(2, -2).finish())).toBe('11 00 00 00 00 00 00 00 c0');
  });

  it('writes packed repeated int64, float and double, and nothing for an empty list', () => {
    expect(hex(new ProtobufWriter().packedInt64(4, [3, 270, 86942]).finish())).toBe('22 06 03 8e 02 9e a7 05');
    expect(hex(new ProtobufWriter().packedInt64(1, [-1]).finish())).toBe('0a 0a ff ff ff ff ff ff ff ff ff 01');
    expect(hex(new ProtobufWriter().packedFloat(4, [1, -2]).finish())).toBe('22 08 00 00 80 3f 00 00 00 c0');
    expect(hex(new ProtobufWriter().packedDouble(10, [1, 0.1]).finish())).toBe(
      '52 10 00 00 00 00 00 00 f0 3f 9a 99 99 99 99 99 b9 3f',
    );
    expect(new ProtobufWriter().packedInt64(1, []).packedFloat(2, []).packedDouble(3, []).length).toBe(0);
  });

  it('grows past its first buffer and reads back through the decoder', () => {
    const big = Float64Array.from({ length: 5000 }, (_, i) => i / 7);
    const longText = 'x'.repeat(1000);
    const bytes = new ProtobufWriter()
      .packedDouble(10, big)
      .string(8, longText)
      .packedInt64(7, [0, -5, 2 ** 40])
      .int64(7, 42)
      .message(3, (w) => w.string(1, 'inner'))
      .finish();
    const fields = readProtoFields(bytes);
    const doubles = fields.find((f) => f.field === 10)!.bytes!;
    const view = new DataView(doubles.buffer, doubles.byteOffset, doubles.byteLength);
    expect(Float64Array.from({ length: doubles.length / 8 }, (_, i) => view.getFloat64(i * 8, true))).toEqual(big);
    expect(readStrings(fields, 8)).toEqual([longText]);
    expect(readRepeatedInt64(fields, 7)).toEqual([0, -5, 2 ** 40, 42]); // packed then unpacked, both read
    expect(readStrings(readProtoFields(fields.find((f) => f.field === 3)!.bytes!), 1)).toEqual(['inner']);
  });
});
