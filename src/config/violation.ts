// A config violation: which file, which key, which rule, and what is wrong.

export interface Violation {
  file: string;
  /** Dotted key path inside the file (`pairs.value[0].leg_B.lot_step`), or `(file)` for the whole file. */
  path: string;
  /** Short rule id, stable for scripts and tests (`required`, `unknown_key`, `dd_thresholds_increasing` …). */
  rule: string;
  message: string;
}

export function formatViolation(v: Violation): string {
  return `${v.file}: ${v.path}: ${v.rule}: ${v.message}`;
}

/** `/pairs/value/0/leg_B` → `pairs.value[0].leg_B`. */
export function pointerToPath(pointer: string, extra?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(root)' : out;
}
