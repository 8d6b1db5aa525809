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
      return { file, path: pointerToPath(e.instancePath), rule: e.keyword, message: e.message ?? 'invalid' };
  }
}

/** Schema violations of one file's parsed YAML (empty when it conforms). */
export function validateSchema(name: ConfigName, data: unknown): Violation[] {
  const fn = validatorFor(name);
  if (fn(data)) return [];
  return (fn.errors ?? []).map((e) => toViolation(`${name}.yaml`, e));
}
