// The check before every write of signal.json: the JSON Schema, and one entry per pair.
import { PtError } from '../../core/ptError.js';
import { signalFileViolation } from '../../model/signalFileSchema.js';
import type { SignalFile } from './signalTypes.js';

/** Throws CORE_SIGNAL_SCHEMA naming the first violation of the schema (mt5/schemas/signal.schema.json), or a pair listed twice. */
export function validateSignalFile(file: unknown): asserts file is SignalFile {
  const violation = signalFileViolation(file);
  if (violation !== undefined) throw schemaError(violation);
  const seen = new Set<string>();
  for (const [i, s] of (file as SignalFile).signals.entries()) {
    if (seen.has(s.pair_id)) throw schemaError(`/signals/${i}/pair_id ${s.pair_id} appears twice`);
    seen.add(s.pair_id);
  }
}

function schemaError(violation: string): PtError {
  return new PtError('CORE_SIGNAL_SCHEMA', `signal.json breaks its schema: ${violation}`, {
    source: 'live',
    details: { violation },
  });
}
