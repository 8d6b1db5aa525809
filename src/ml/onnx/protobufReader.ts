// A minimal protobuf decoder: splits a message into its fields, enough to inspect an ONNX graph.

export interface ProtoField {
  field: number;
  wireType: number;
  /** The value of a varint field (wire type 0). */
  varint?: bigint;
  /** The payload of a length-delimited field, or the raw 4/8 bytes of a fixed32/fixed64 one (a view, not a copy). */
  bytes?: Uint8Array;
}

function truncated(): never {
  throw new RangeError('truncated or malformed protobuf message');
}

/** The varint at `offset` and the offset after it. */
export function decodeVarint(bytes: Uint8Array, offset: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  let i = offset;
  for (;;) {
    if (i >= bytes.length || shift > 63n) truncated();
    const b = bytes[i++]!;
    value |= BigInt(b & 127) << shift;
    if (b < 128) return { value: BigInt.asUintN(64, value), next: i };
    shift += 7n;
  }
}

/** Every field of one message, in wire order (a repeated or re-sent field appears once per occurrence). */
export function readProtoFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let i = 0;
  while (i < bytes.length) {
    const key = decodeVarint(bytes, i);
    i = key.next;
    const field = Number(key.value >> 3n);
    const wireType = Number(key.value & 7n);
    if (wireType === 0) {
      const v = decodeVarint(bytes, i);
      fields.push({ field, wireType, varint: v.value });
      i = v.next;
    } else if (wireType === 2) {
      const len = decodeVarint(bytes, i);
      const start = len.next;
      const end = start + Number(len.value);
      if (end > bytes.length) truncated();
      fields.push({ field, wireType, bytes: bytes.subarray(start, end) });
      i = end;
    } else if (wireType === 1 || wireType === 5) {
      const end = i + (wireType === 1 ? 8 : 4);
      if (end > bytes.length) truncated();
      fields.push({ field, wireType, bytes: bytes.subarray(i, end) });
      i = end;
    } else {
      throw new RangeError(`unsupported protobuf wire type ${wireType}`);
    }
  }
  return fields;
}

/** The signed values of a repeated int64 field given packed (one run) or unpacked (one field each). */
export function readRepeatedInt64(fields: ProtoField[], field: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.varint !== undefined) out.push(Number(BigInt.asIntN(64, f.varint)));
    else if (f.bytes !== undefined && f.wireType === 2) {
      for (let i = 0; i < f.bytes.length; ) {
        const v = decodeVarint(f.bytes, i);
        out.push(Number(BigInt.asIntN(64, v.value)));
        i = v.next;
      }
    }
  }
  return out;
}

/** The UTF-8 text of every occurrence of a string field. */
export function readStrings(fields: ProtoField[], field: number): string[] {
  const decoder = new TextDecoder();
  return fields.filter((f) => f.field === field && f.bytes !== undefined).map((f) => decoder.decode(f.bytes));
}
