// The resume guard of SPEC §9 / runbook resume_policy: drawdown below warn for stability_days, and |ρ| ≥ corr_threshold.
import type { DrawdownMirror } from '../../ports/liveBus.js';
import type { OpsScope } from './opsTransitions.js';

export interface ResumeGuardInput {
  scope: OpsScope;
  /** Each shard's mirrored DD levels; for a pair scope, the mirror of the pair's shard (if any). */
  mirrors: readonly DrawdownMirror[];
  /** |ρ| per pair of the scope, as pt live last wrote it (rho_rolling); undefined when unknown. */
  rho: ReadonlyMap<string, number | undefined>;
  nowMs: number;
  stabilityDays: number;
  corrThreshold: number;
}

export interface GuardCheck {
  name: 'drawdown' | 'correlation';
  pass: boolean;
  detail: string;
}

export interface ResumeGuardResult {
  pass: boolean;
  checks: GuardCheck[];
}

const DAY_MS = 86_400_000;

/** Whole weekdays (UTC, Monday–Friday) from `fromMs` to `toMs`: the runbook's 営業日 without a holiday calendar. */
export function weekdaysBetween(fromMs: number, toMs: number): number {
  let n = 0;
  for (let t = fromMs + DAY_MS; t <= toMs; t += DAY_MS) {
    const d = new Date(t).getUTCDay();
    if (d !== 0 && d !== 6) n++;
  }
  return n;
}

/** The time `n` weekdays after `fromMs` (the canary's end). */
export function addWeekdays(fromMs: number, n: number): number {
  let t = fromMs;
  for (let k = 0; k < n; ) {
    t += DAY_MS;
    const d = new Date(t).getUTCDay();
    if (d !== 0 && d !== 6) k++;
  }
  return t;
}

/** Both checks, each with a line saying why; unknown evidence fails (a resume needs proof, or --force). */
export function resumeGuard(i: ResumeGuardInput): ResumeGuardResult {
  const checks: GuardCheck[] = [drawdownCheck(i), correlationCheck(i)];
  return { pass: checks.every((c) => c.pass), checks };
}

function drawdownCheck(i: ResumeGuardInput): GuardCheck {
  if (i.mirrors.length === 0)
    return {
      name: 'drawdown',
      pass: false,
      detail: 'no shard has reported a drawdown level (pt live mirrors it once it reads an account.json)',
    };
  const problems: string[] = [];
  const ok: string[] = [];
  for (const m of i.mirrors) {
    const days = weekdaysBetween(Date.parse(m.since), i.nowMs);
    const pairLevel = i.scope.scope === 'pair' ? m.pairs[i.scope.pairId] : undefined;
    if (m.level !== 'normal')
      problems.push(`shard ${m.shard} is at ${m.level} (drawdown ${(m.drawdown * 100).toFixed(2)}%)`);
    else if (!Number.isFinite(days) || days < i.stabilityDays)
      problems.push(
        `shard ${m.shard} below warn for ${Number.isFinite(days) ? days : 0} of ${i.stabilityDays} weekdays`,
      );
    else if (pairLevel !== undefined && pairLevel !== 'normal')
      problems.push(`${(i.scope as { pairId: string }).pairId} is at its own ${pairLevel} level`);
    else ok.push(`shard ${m.shard} below warn for ${days} weekdays`);
  }
  return problems.length > 0
    ? { name: 'drawdown', pass: false, detail: problems.join('; ') }
    : { name: 'drawdown', pass: true, detail: `${ok.join('; ')} (≥ ${i.stabilityDays})` };
}

function correlationCheck(i: ResumeGuardInput): GuardCheck {
  const low: string[] = [];
  const unknown: string[] = [];
  let known = 0;
  for (const [pairId, rho] of i.rho) {
    if (rho === undefined || !Number.isFinite(rho)) unknown.push(pairId);
    else {
      known++;
      if (Math.abs(rho) < i.corrThreshold) low.push(`${pairId} |ρ| ${Math.abs(rho).toFixed(3)}`);
    }
  }
  const need = `|ρ| ≥ ${i.corrThreshold}`;
  // A pair scope needs its ρ; the portfolio needs at least one known pair (a stopped shard has none).
  if (known === 0 || (i.scope.scope === 'pair' && unknown.length > 0))
    return { name: 'correlation', pass: false, detail: `no ρ known for ${unknown.join(', ') || 'any pair'} (${need})` };
  if (low.length > 0) return { name: 'correlation', pass: false, detail: `${low.join('; ')} below ${i.corrThreshold}` };
  const skipped = unknown.length > 0 ? `; not running, not checked: ${unknown.join(', ')}` : '';
  return { name: 'correlation', pass: true, detail: `${known} pair(s) with ${need}${skipped}` };
}
