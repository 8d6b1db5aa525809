// Validates one parsed config file against its JSON Schema (ajv) and turns ajv errors into Violations.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { CONFIG_SCHEMAS, type ConfigName } from './schemas/index.js';
import { pointerToPath, type Violation } from './violation.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<ConfigName, ValidateFunction>();

function validatorFor(name: ConfigName): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    fn = ajv.compile(CONFIG_SCHEMAS[name]);
    compiled.set(name, fn);
  }
  return fn;
}

function toViolation(file: string, e: ErrorObject): Violation {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        file,
        path: pointerToPath(e.instancePath, String(p.missingProperty)),
        rule: 'required',
        message: 'required key is missing',
      };
    case 'additionalProperties':
      return {
        file,
        path: pointerToPath(e.instancePath, String(p.additionalProperty)),
        rule: 'unknown_key',
        message: 'key is not part of the schema',
      };
    case 'enum':
      return {
        file,
        path: pointerToPath(e.instancePath),
        rule: 'enum',
        message: `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}`,
      };
    default:
      // Rule names are snake_case like the cross-rules' (minItems → min_items).
      return {
        file,
        path: pointerToPath(e.instancePath),
        rule: e.keyword.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        message: e.message ?? 'invalid',
      };
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`;
}

/**
 * A top-level key must be the seed's wrapper `{value: …}`: a bare value there (`outlier_sigma: 8`)
 * is named as a missing wrapper rather than "must be object".
 */
function wrapperViolation(file: string, e: ErrorObject, data: unknown): Violation | undefined {
  if (e.keyword !== 'type' || (e.params as { type?: unknown }).type !== 'object') return undefined;
  if (!/^\/[^/]+$/.test(e.instancePath) || data === null || typeof data !== 'object') return undefined;
  const key = e.instancePath.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
  const found = (data as Record<string, unknown>)[key];
  return {
    file,
    path: pointerToPath(e.instancePath),
    rule: 'wrapper',
    message: `expected {value: …} (the seed's wrapper), found ${kindOf(found)}`,
  };
}

/** Schema violations of one file's parsed YAML (empty when it conforms). */
export function validateSchema(name: ConfigName, data: unknown): Violation[] {
  const fn = validatorFor(name);
  if (fn(data)) return [];
  const file = `${name}.yaml`;
  return (fn.errors ?? []).map((e) => wrapperViolation(file, e, data) ?? toViolation(file, e));
}
