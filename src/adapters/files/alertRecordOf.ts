// One alert line (alerts.jsonl or the Redis list) as a record, or undefined when it is not one.
import type { AlertRecord } from '../../ports/opsControl.js';

/** JSON text of one alert; a torn or foreign line is skipped (undefined), never fatal: the monitor only shows them. */
export function alertRecordOf(text: string): AlertRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
  if (str('occurred_at') === '' && str('message') === '') return undefined;
  return {
    event_id: str('event_id'),
    error_id: str('error_id'),
    severity: str('severity') || 'INFO',
    source: str('source'),
    message: str('message'),
    occurred_at: str('occurred_at'),
    ...(o.details !== undefined ? { details: o.details } : {}),
  };
}
