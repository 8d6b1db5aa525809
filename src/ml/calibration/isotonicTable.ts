// The isotonic calibration step table and its JSON form.

/**
 * A fitted isotonic step function: block b covers scores in (x[b−1], x[b]] and maps them to y[b].
 * `x` (block upper bounds, the largest training score of the block) is strictly increasing and
 * `y` (weighted block means of the labels) strictly increasing too (equal neighbours are merged).
 */
export interface IsotonicTable {
  x: Float64Array;
  y: Float64Array;
}

/**
 * The JSON form: plain number arrays; doubles round-trip exactly through JSON.stringify/parse.
 * `onnx_sha256` binds the table to the model it calibrates: the SHA-256 (64 lowercase hex) of the
 * `model_aiX.onnx` bytes next to it. The model bundle refuses a table whose digest is absent or
 * another file's.
 */
export interface IsotonicTableJson {
  kind: 'isotonic_step';
  version: 1;
  onnx_sha256?: string;
  x: number[];
  y: number[];
}

export function isotonicTableToJson(table: IsotonicTable, onnxSha256?: string): IsotonicTableJson {
  checkIsotonicTable(table);
  if (onnxSha256 !== undefined && !SHA256_HEX.test(onnxSha256))
    throw new RangeError(`onnx_sha256 ${onnxSha256} is not 64 lowercase hex digits`);
  return {
    kind: 'isotonic_step',
    version: 1,
    ...(onnxSha256 === undefined ? {} : { onnx_sha256: onnxSha256 }),
    x: Array.from(table.x),
    y: Array.from(table.y),
  };
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The `onnx_sha256` of a table's JSON form (object or string), undefined when absent; a malformed one throws a RangeError. */
export function isotonicTableOnnxDigest(json: unknown): string | undefined {
  const obj: unknown = typeof json === 'string' ? JSON.parse(json) : json;
  if (typeof obj !== 'object' || obj === null) throw new RangeError('isotonic table JSON is not an object');
  const digest = (obj as Record<string, unknown>).onnx_sha256;
  if (digest === undefined) return undefined;
  if (typeof digest !== 'string' || !SHA256_HEX.test(digest))
    throw new RangeError('isotonic table JSON field onnx_sha256 is not 64 lowercase hex digits');
  return digest;
}

/** Parses and checks a table from its JSON form (an object or a JSON string); throws a RangeError. */
export function isotonicTableFromJson(json: unknown): IsotonicTable {
  const obj: unknown = typeof json === 'string' ? JSON.parse(json) : json;
  if (typeof obj !== 'object' || obj === null) throw new RangeError('isotonic table JSON is not an object');
  const o = obj as Record<string, unknown>;
  if (o.kind !== 'isotonic_step' || o.version !== 1) {
    throw new RangeError(
      `isotonic table JSON has kind ${String(o.kind)} version ${String(o.version)}, expected isotonic_step 1`,
    );
  }
  const arr = (name: 'x' | 'y'): Float64Array => {
    const v = o[name];
    if (!Array.isArray(v) || !v.every((e): e is number => typeof e === 'number')) {
      throw new RangeError(`isotonic table JSON field ${name} is not an array of numbers`);
    }
    return Float64Array.from(v);
  };
  return checkIsotonicTable({ x: arr('x'), y: arr('y') });
}

/** Returns the table, or throws a RangeError: lengths equal and ≥ 1, x strictly increasing and finite, y non-decreasing and finite. */
export function checkIsotonicTable(table: IsotonicTable): IsotonicTable {
  const { x, y } = table;
  if (x.length !== y.length || x.length === 0)
    throw new RangeError(`isotonic table has ${x.length} x and ${y.length} y values`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!))
      throw new RangeError(`isotonic table entry ${i} is not finite`);
    if (i > 0 && !(x[i]! > x[i - 1]!)) throw new RangeError(`isotonic table x is not strictly increasing at ${i}`);
    if (i > 0 && !(y[i]! >= y[i - 1]!)) throw new RangeError(`isotonic table y decreases at ${i}`);
  }
  return table;
}
