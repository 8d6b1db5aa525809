// feature_schema.json: ordered feature names, normalisation stats and a `hash` of the rest of the document.
import { sha256Hex } from './manifest.js';

export interface FeatureSchema {
  /** Model input order. */
  names: string[];
  /** Normalisation stats of the inputs (e.g. the fitted FeatureScalerStats). */
  normalisation: unknown;
  /** SHA-256 hex of canonicalJson(the document without `hash`). */
  hash: string;
  [key: string]: unknown;
}

/** JSON with object keys sorted at every level and no white space (what the schema hash covers). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    return `{${entries.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The schema hash: SHA-256 hex of the canonical JSON of `schema` minus its `hash` field. */
export function featureSchemaHash(schema: Record<string, unknown>): string {
  const { hash: _ignored, ...rest } = schema;
  return sha256Hex(canonicalJson(rest));
}

/** `schema` with its hash set. */
export function sealFeatureSchema(schema: {
  names: string[];
  normalisation: unknown;
  [key: string]: unknown;
}): FeatureSchema {
  return { ...schema, names: schema.names, normalisation: schema.normalisation, hash: featureSchemaHash(schema) };
}

/** What is wrong with a parsed feature_schema.json, or undefined when it is well formed and its hash matches. */
export function featureSchemaProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'is not a JSON object';
  const schema = value as Record<string, unknown>;
  const names = schema.names;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string' && n.length > 0))
    return 'names must be a non-empty array of feature names';
  if (new Set(names).size !== names.length) return 'names has duplicates';
  if (schema.normalisation === undefined) return 'normalisation is missing';
  if (schema.hash !== undefined && schema.hash !== featureSchemaHash(schema)) return 'hash does not match the document';
  return undefined;
}
