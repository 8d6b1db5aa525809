// What a proposal changes, key by key, and its risk: leverage, θ and cost changes need two approvers.
import { parse } from 'yaml';
import type { ConfigFiles } from './configFiles.js';
import type { ConfigKeyChange, ConfigRisk } from './flowTypes.js';

/**
 * The high-risk rule (docs/config-workflow.md "Risk"): a change (added, removed or new value) to
 * - any key of dd_policy.yaml (drawdown levels and leverage_scale_on_warn: the leverage of the book),
 * - signals_policy.yaml pair_notional_usd or position_scale_max (the size of every position),
 * - a core_policy.yaml key whose name holds `theta` (θ1/θ2, their search range and grid, θ_speed) or `hysteresis`,
 * - any key of cost_table.yaml or of a cost profile (cost_profiles/*.yaml).
 * Labels and descriptions do not count: only a key's `value`.
 */
export function highRiskReason(file: string, key: string): string | undefined {
  if (file === 'dd_policy.yaml') return `dd_policy.yaml ${key}: drawdown/leverage`;
  if (file === 'signals_policy.yaml' && (key === 'pair_notional_usd' || key === 'position_scale_max'))
    return `signals_policy.yaml ${key}: position size/leverage`;
  if (file === 'core_policy.yaml' && /theta|hysteresis/.test(key)) return `core_policy.yaml ${key}: θ`;
  if (file === 'cost_table.yaml' || file.startsWith('cost_profiles/')) return `${file} ${key}: costs`;
  return undefined;
}

function parsed(bytes: Uint8Array | undefined): Record<string, unknown> | undefined {
  if (!bytes) return undefined;
  try {
    const doc: unknown = parse(Buffer.from(bytes).toString('utf8'));
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc)
      ? (doc as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A key's value as compared: `value` of a `{value, label_ja, …}` entry, else the whole entry. */
function valueOf(entry: unknown): unknown {
  return entry !== null && typeof entry === 'object' && 'value' in entry ? (entry as { value: unknown }).value : entry;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Every key that differs between two config folders, files in path order. */
export function diffConfig(before: ConfigFiles, after: ConfigFiles): ConfigKeyChange[] {
  const out: ConfigKeyChange[] = [];
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const file of paths) {
    const a = before.get(file);
    const b = after.get(file);
    if (a && b && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0) continue;
    if (!a || !b) {
      out.push({ file, key: '(file)', kind: a ? 'removed' : 'added' });
      continue;
    }
    const ya = parsed(a);
    const yb = parsed(b);
    if (!ya || !yb) {
      out.push({ file, key: '(file)', kind: 'changed' });
      continue;
    }
    const keys = [...new Set([...Object.keys(ya), ...Object.keys(yb)])];
    const before0 = out.length;
    for (const key of keys) {
      if (!(key in ya)) out.push({ file, key, kind: 'added', after: valueOf(yb[key]) });
      else if (!(key in yb)) out.push({ file, key, kind: 'removed', before: valueOf(ya[key]) });
      else if (!same(valueOf(ya[key]), valueOf(yb[key])))
        out.push({ file, key, kind: 'changed', before: valueOf(ya[key]), after: valueOf(yb[key]) });
    }
    // Bytes differ but no value does: comments, labels or layout only.
    if (out.length === before0) out.push({ file, key: '(text)', kind: 'changed' });
  }
  return out;
}

export function riskOf(changes: readonly ConfigKeyChange[]): ConfigRisk {
  const reasons: string[] = [];
  for (const c of changes) {
    if (c.key === '(text)') continue;
    const why = highRiskReason(c.file, c.key);
    if (why) reasons.push(`${why} ${c.kind}`);
  }
  return { level: reasons.length > 0 ? 'high' : 'normal', required_approvals: reasons.length > 0 ? 2 : 1, reasons };
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? 'null';
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** One line per change: `dd_policy.yaml dd_warn_portfolio: 0.08 → 0.07`. */
export function summarize(changes: readonly ConfigKeyChange[]): string {
  return changes
    .map((c) => {
      if (c.key === '(file)') return `${c.file}: file ${c.kind}`;
      if (c.key === '(text)') return `${c.file}: comments, labels or layout only`;
      if (c.kind === 'added') return `${c.file} ${c.key}: added ${short(c.after)}`;
      if (c.kind === 'removed') return `${c.file} ${c.key}: removed (was ${short(c.before)})`;
      return `${c.file} ${c.key}: ${short(c.before)} → ${short(c.after)}`;
    })
    .join('\n');
}
