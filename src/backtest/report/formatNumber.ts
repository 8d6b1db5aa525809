// Number formatting for the report: percentages, USD, ratios and KPI-aware formatting; non-finite → "—".
export const DASH = '—';

export function formatFixed(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return DASH;
  const s = v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return s === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : s;
}

/** A fraction as a percentage: 0.1234 → "12.34%". */
export function formatPercent(v: number, digits = 2): string {
  return Number.isFinite(v) ? `${formatFixed(v * 100, digits)}%` : DASH;
}

/** USD with thousands separators: -1234.5 → "-$1,234.50". */
export function formatUsd(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return DASH;
  const s = formatFixed(Math.abs(v), digits);
  return v < 0 && s !== formatFixed(0, digits) ? `-$${s}` : `$${s}`;
}

/** KPIs that are fractions and read best as percentages. */
export function isPercentKpi(name: string): boolean {
  return /return|(^|_)dd($|_)|drawdown|rate|^e_per_trade$/i.test(name);
}

export function formatKpi(name: string, v: number): string {
  if (name === 'e_per_trade') return formatPercent(v, 3);
  if (isPercentKpi(name)) return formatPercent(v);
  if (/per_year|count|trades/i.test(name)) return formatFixed(v, 1);
  return formatFixed(v, 2);
}
