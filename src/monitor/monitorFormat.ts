// Cells of pt monitor's tables: fixed widths, truncated with an ellipsis, never wider than asked.

/** `text` cut or padded to exactly `width` characters (right-aligned when `right`). */
export function cell(text: string, width: number, right = false): string {
  if (width <= 0) return '';
  const chars = [...text];
  const fitted = chars.length > width ? `${chars.slice(0, Math.max(0, width - 1)).join('')}…` : text;
  const pad = ' '.repeat(Math.max(0, width - [...fitted].length));
  return right ? pad + fitted : fitted + pad;
}

/** 45 → `45s`, 754 → `12m`, 7200 → `2h`, 200000 → `2d`; undefined → `-`. */
export function age(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 100) return `${seconds}s`;
  if (seconds < 6000) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

export function fixed(v: number | undefined, digits: number): string {
  return v === undefined ? '-' : v.toFixed(digits);
}

export function percent(v: number | undefined, digits = 1): string {
  return v === undefined ? '-' : `${(v * 100).toFixed(digits)}%`;
}

/** 12345.6 → `12,346`. */
export function money(v: number | undefined): string {
  return v === undefined ? '-' : Math.round(v).toLocaleString('en-US');
}

/** HH:MM:SS of an epoch ms, UTC. */
export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** `MM-DD HH:MM` of an ISO time, UTC; the text itself when it is not one. */
export function shortTime(iso: string | undefined): string {
  if (iso === undefined) return '-';
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(5, 16).replace('T', ' ') : iso;
}

/** LONG_SPREAD → LONG, SHORT_SPREAD → SHORT, FLAT → flat. */
export function positionName(side: string | undefined): string {
  if (side === undefined) return '-';
  if (side === 'FLAT') return 'flat';
  return side.replace(/_SPREAD$/, '');
}
