// JSON for feature state with exact numbers: NaN and ±Infinity (which JSON cannot hold) become strings.

export function encodeState(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

export function decodeState<T>(text: string): T {
  return JSON.parse(text, (_k, v: unknown) =>
    v === 'NaN' ? Number.NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v,
  ) as T;
}
