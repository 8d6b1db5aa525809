// Encoders for the few ONNX protobuf messages pt writes (field numbers from onnx/onnx.proto).
import { ProtobufWriter } from './protobufWriter.js';

/** TensorProto.DataType values used here. */
export const OnnxDataType = { FLOAT: 1, INT64: 7, STRING: 8, DOUBLE: 11 } as const;

/** AttributeProto.AttributeType values used here. */
const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export type OnnxAttribute =
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'ints'; value: ArrayLike<number> }
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'floats'; value: ArrayLike<number> }
  | { name: string; kind: 'string'; value: string }
  | { name: string; kind: 'strings'; value: readonly string[] }
  /** A 1-D double tensor: how ai.onnx.ml opset 3 carries thresholds and weights at full precision. */
  | { name: string; kind: 'doubleTensor'; value: ArrayLike<number> };

export interface OnnxNode {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
}

/** A graph input or output that is a tensor; a string dim is symbolic (e.g. the batch size `N`). */
export interface OnnxTensorValueInfo {
  name: string;
  elemType: number;
  dims: Array<number | string>;
}

/** A graph output that is a sequence of maps, as ZipMap writes (`seq(map(key, value))`). */
export interface OnnxMapSequenceValueInfo {
  name: string;
  mapSequence: { keyType: number; valueType: number };
}

export type OnnxValueInfo = OnnxTensorValueInfo | OnnxMapSequenceValueInfo;

export interface OnnxModelSpec {
  irVersion: number;
  opsetImports: Array<{ domain: string; version: number }>;
  producerName: string;
  producerVersion: string;
  docString?: string;
  graphName: string;
  nodes: OnnxNode[];
  inputs: OnnxTensorValueInfo[];
  outputs: OnnxValueInfo[];
  metadata?: Record<string, string>;
}

/** TensorProto holding a 1-D double array. */
function writeDoubleTensor(w: ProtobufWriter, name: string, values: ArrayLike<number>): void {
  w.packedInt64(1, [values.length]); // dims
  w.int64(2, OnnxDataType.DOUBLE); // data_type
  w.string(8, name);
  w.packedDouble(10, values); // double_data
}

function writeAttribute(w: ProtobufWriter, a: OnnxAttribute): void {
  w.string(1, a.name);
  switch (a.kind) {
    case 'int':
      w.int64(20, AttributeType.INT).int64(3, a.value);
      break;
    case 'ints':
      w.int64(20, AttributeType.INTS).packedInt64(8, a.value);
      break;
    case 'float':
      w.int64(20, AttributeType.FLOAT).float(2, a.value);
      break;
    case 'floats':
      w.int64(20, AttributeType.FLOATS).packedFloat(7, a.value);
      break;
    case 'string':
      w.int64(20, AttributeType.STRING).string(4, a.value);
      break;
    case 'strings':
      w.int64(20, AttributeType.STRINGS);
      for (const s of a.value) w.string(9, s);
      break;
    case 'doubleTensor':
      w.int64(20, AttributeType.TENSOR).message(5, (t) => writeDoubleTensor(t, a.name, a.value));
      break;
  }
}

function writeValueInfo(w: ProtobufWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  if ('mapSequence' in v) {
    const { keyType, valueType } = v.mapSequence;
    // TypeProto.sequence_type(4).elem_type(1) → TypeProto.map_type(5){key_type(1), value_type(2) → tensor_type(1)}
    w.message(2, (type) =>
      type.message(4, (seq) =>
        seq.message(1, (elem) =>
          elem.message(5, (map) =>
            map.int64(1, keyType).message(2, (vt) => vt.message(1, (t) => t.int64(1, valueType))),
          ),
        ),
      ),
    );
    return;
  }
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int64(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int64(1, d) : dim.string(2, d)));
      });
    }),
  );
}

function writeNode(w: ProtobufWriter, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attributes) w.message(5, (aw) => writeAttribute(aw, a));
  if (n.domain !== '') w.string(7, n.domain);
}

/** The serialised ModelProto. */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const w = new ProtobufWriter();
  w.int64(1, spec.irVersion);
  w.string(2, spec.producerName);
  w.string(3, spec.producerVersion);
  if (spec.docString) w.string(6, spec.docString);
  w.message(7, (g) => {
    for (const n of spec.nodes) g.message(1, (nw) => writeNode(nw, n));
    g.string(2, spec.graphName);
    for (const v of spec.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
    for (const v of spec.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
  });
  for (const o of spec.opsetImports) w.message(8, (ow) => ow.string(1, o.domain).int64(2, o.version));
  for (const [key, value] of Object.entries(spec.metadata ?? {}))
    w.message(14, (m) => m.string(1, key).string(2, value));
  return w.finish();
}

/** One serialised ValueInfoProto (for patching an existing model's graph outputs). */
export function encodeValueInfo(v: OnnxValueInfo): Uint8Array {
  const w = new ProtobufWriter();
  writeValueInfo(w, v);
  return w.finish();
}
