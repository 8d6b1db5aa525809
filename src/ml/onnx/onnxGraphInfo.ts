// Reads what the ONNX loader needs from a ModelProto (nodes, outputs, metadata) and patches its outputs.
import { encodeValueInfo, type OnnxTensorValueInfo } from './onnxProto.js';
import { ProtobufWriter } from './protobufWriter.js';
import { readProtoFields, readRepeatedInt64, readStrings, type ProtoField } from './protobufReader.js';

export interface OnnxNodeInfo {
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  /** The INTS / STRINGS attributes the loader looks at (class labels, split features, class ids, node modes). */
  ints: Record<string, number[]>;
  strings: Record<string, string[]>;
  /** Every INT and STRING attribute (post_transform, n_targets, aggregate_function …). */
  int: Record<string, number>;
  string: Record<string, string>;
}

export interface OnnxGraphInfo {
  /** opset_import: domain ('' for the default ONNX domain) → version. */
  opsets: Record<string, number>;
  nodes: OnnxNodeInfo[];
  outputNames: string[];
  metadata: Record<string, string>;
}

const WANTED_INTS = new Set(['classlabels_int64s', 'nodes_featureids', 'class_ids']);
const WANTED_STRINGS = new Set(['classlabels_strings', 'nodes_modes']);

function readNode(fields: ProtoField[]): OnnxNodeInfo {
  const node: OnnxNodeInfo = {
    inputs: readStrings(fields, 1),
    outputs: readStrings(fields, 2),
    opType: readStrings(fields, 4)[0] ?? '',
    domain: readStrings(fields, 7)[0] ?? '',
    ints: {},
    strings: {},
    int: {},
    string: {},
  };
  for (const f of fields) {
    if (f.field !== 5 || f.bytes === undefined) continue;
    const attr = readProtoFields(f.bytes);
    const name = readStrings(attr, 1)[0] ?? '';
    if (WANTED_INTS.has(name)) node.ints[name] = readRepeatedInt64(attr, 8);
    if (WANTED_STRINGS.has(name)) node.strings[name] = readStrings(attr, 9);
    const i = attr.find((a) => a.field === 3 && a.varint !== undefined);
    if (i !== undefined) node.int[name] = Number(BigInt.asIntN(64, i.varint!));
    const str = readStrings(attr, 4)[0];
    if (str !== undefined) node.string[name] = str;
  }
  return node;
}

/** Nodes, graph output names and metadata_props of a serialised ModelProto. */
export function readOnnxGraphInfo(bytes: Uint8Array): OnnxGraphInfo {
  const model = readProtoFields(bytes);
  const info: OnnxGraphInfo = { opsets: {}, nodes: [], outputNames: [], metadata: {} };
  for (const f of model) {
    if (f.bytes === undefined) continue;
    if (f.field === 7) {
      // A graph sent in several pieces is merged, as protobuf parsers do.
      for (const g of readProtoFields(f.bytes)) {
        if (g.bytes === undefined) continue;
        if (g.field === 1) info.nodes.push(readNode(readProtoFields(g.bytes)));
        else if (g.field === 12) info.outputNames.push(readStrings(readProtoFields(g.bytes), 1)[0] ?? '');
      }
    } else if (f.field === 8) {
      const opset = readProtoFields(f.bytes);
      const version = opset.find((o) => o.field === 2)?.varint;
      info.opsets[readStrings(opset, 1)[0] ?? ''] = version === undefined ? 0 : Number(version);
    } else if (f.field === 14) {
      const entry = readProtoFields(f.bytes);
      info.metadata[readStrings(entry, 1)[0] ?? ''] = readStrings(entry, 2)[0] ?? '';
    }
  }
  return info;
}

/** Branch nodes (nodes_modes other than LEAF) over every tree ensemble node of the graph. */
export function onnxSplitCount(graph: OnnxGraphInfo): number {
  let splits = 0;
  for (const n of graph.nodes)
    if (n.domain === 'ai.onnx.ml' && /^TreeEnsemble/.test(n.opType))
      for (const mode of n.strings.nodes_modes ?? []) if (mode !== 'LEAF') splits++;
  return splits;
}

/**
 * The model with one more metadata_props entry, appended as a field after the original bytes
 * (a repeated field may be sent in any number of pieces), so every other byte stays as it was.
 */
export function appendMetadata(bytes: Uint8Array, key: string, value: string): Uint8Array {
  const patch = new ProtobufWriter().message(14, (m) => m.string(1, key).string(2, value)).finish();
  const out = new Uint8Array(bytes.length + patch.length);
  out.set(bytes, 0);
  out.set(patch, bytes.length);
  return out;
}

/**
 * The model with one more graph output. It appends a second `graph` field holding only that
 * output: protobuf merges repeated occurrences of an embedded message, so the original bytes stay
 * untouched. Used to read the tensor in front of a ZipMap, whose sequence-of-maps output
 * onnxruntime-node cannot return.
 */
export function appendGraphOutput(bytes: Uint8Array, output: OnnxTensorValueInfo): Uint8Array {
  const patch = new ProtobufWriter().message(7, (g) => g.bytes(12, encodeValueInfo(output))).finish();
  const out = new Uint8Array(bytes.length + patch.length);
  out.set(bytes, 0);
  out.set(patch, bytes.length);
  return out;
}
