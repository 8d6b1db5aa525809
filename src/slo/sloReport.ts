// The four SLOs of the seed in one report: target, measure, met or not, and the evidence behind it;
// printed as a table (pt ops slo) or kept as JSON.
import type { DailyRate } from './dailyRate.js';
import type { SignalSlo } from './signalSlo.js';

export interface SloRow {
  slo: 'signal_availability' | 'signal_freshness' | 'ingest_success_rate' | 'dq_pass_rate';
  /** The target as text (≥ 99.5%, ≤ 120 s). */
  target: string;
  /** The measure as text; `no data` when nothing could be measured. */
  measured: string;
  /** undefined when nothing was measured (no bar owed, no run, no report). */
  met: boolean | undefined;
  evidence: string;
}

export interface SloReport {
  from: string;
  to: string;
  /** The time bars are judged at (a bar whose close + budget is later is not owed yet). */
  as_of: string;
  timeframe: string;
  shards: number[];
  budget_seconds: number;
  rows: SloRow[];
  signal: SignalSlo;
  ingest: DailyRate;
  dq: DailyRate;
  /** Set for a replay's history: the replayed bars of each shard counted, and the shards not replayed. */
  replay?: {
    ranges: Array<{ shard: number; first_bar: string; last_bar: string }>;
    shards_without_history: number[];
  };
  /** Signals history files that could not be read (full paths): their bars count as not served. */
  unreadable_history: string[];
  /** What was skipped: unreadable history files, ingest log lines and DQ report files, one line each. */
  notes: string[];
}

/** How many missed bars and failing days the evidence text lists (the JSON has them all). */
export const EVIDENCE_EXAMPLES = 5;

const pct = (x: number): string => (Number.isNaN(x) ? 'no data' : `${(x * 100).toFixed(2)}%`);
const secs = (x: number): string => (Number.isNaN(x) ? '-' : `${Math.round(x * 10) / 10} s`);

export function sloRows(
  signal: SignalSlo,
  ingest: DailyRate,
  dq: DailyRate,
  targets: { signal_availability: number; ingest_success_rate: number; dq_pass_rate: number },
  budgetSeconds: number,
  replay = false,
): SloRow[] {
  const f = signal.freshness;
  const missedText = signal.missed
    .slice(0, EVIDENCE_EXAMPLES)
    .map((m) => `${m.pairId} ${m.barTs}${m.lateSeconds === null ? '' : ` (+${secs(m.lateSeconds)})`}`)
    .join(', ');
  const more = signal.missed.length > EVIDENCE_EXAMPLES ? ` and ${signal.missed.length - EVIDENCE_EXAMPLES} more` : '';
  const daysText = (r: DailyRate): string =>
    r.belowTarget
      .slice(0, EVIDENCE_EXAMPLES)
      .map((d) => `${d.day} ${pct(d.rate)}`)
      .join(', ');
  const met = (x: number, target: number): boolean | undefined => (Number.isNaN(x) ? undefined : x >= target);
  return [
    {
      slo: 'signal_availability',
      target: `≥ ${pct(targets.signal_availability)}`,
      measured: pct(signal.availability),
      met: met(signal.availability, targets.signal_availability),
      evidence:
        (replay
          ? `${signal.delivered}/${signal.expected} bars of the replayed range served`
          : `${signal.inTime}/${signal.expected} bars in time, ${signal.delivered} at all (${pct(signal.availabilityAnyTime)})`) +
        (signal.missed.length > 0 ? `; missed: ${missedText}${more}` : ''),
    },
    replay
      ? {
          slo: 'signal_freshness',
          target: `≤ ${budgetSeconds} s`,
          measured: 'n/a (replay)',
          met: undefined,
          evidence: "a replay's generated_at is the wall clock of the run, not the replay clock",
        }
      : {
          slo: 'signal_freshness',
          target: `≤ ${budgetSeconds} s`,
          measured: Number.isNaN(f.p95) ? 'no data' : `p95 ${secs(f.p95)}`,
          met: Number.isNaN(f.p95) ? undefined : f.p95 <= budgetSeconds,
          evidence: `${f.n} bars: p50 ${secs(f.p50)}, p95 ${secs(f.p95)}, p99 ${secs(f.p99)}, max ${secs(f.max)}; ${pct(f.withinBudget)} within budget`,
        },
    {
      slo: 'ingest_success_rate',
      target: `≥ ${pct(targets.ingest_success_rate)} daily`,
      measured: Number.isNaN(ingest.worstDay) ? 'no data' : `worst day ${pct(ingest.worstDay)}`,
      met: met(ingest.worstDay, targets.ingest_success_rate),
      evidence:
        `${ingest.days.length} days with runs, ${pct(ingest.overall)} overall` +
        (ingest.belowTarget.length > 0 ? `; below: ${daysText(ingest)}` : ''),
    },
    {
      slo: 'dq_pass_rate',
      target: `≥ ${pct(targets.dq_pass_rate)} daily`,
      measured: Number.isNaN(dq.worstDay) ? 'no data' : `worst day ${pct(dq.worstDay)}`,
      met: met(dq.worstDay, targets.dq_pass_rate),
      evidence:
        `${dq.days.length} days with DQ reports, ${pct(dq.overall)} of month partitions passed` +
        (dq.belowTarget.length > 0 ? `; below: ${daysText(dq)}` : ''),
    },
  ];
}

/** The printed table: one line per SLO (columns padded), then the window. */
export function formatSloTable(report: SloReport): string[] {
  const head = ['SLO', 'target', 'measured', 'met', 'evidence'];
  const cells = report.rows.map((r) => [
    r.slo,
    r.target,
    r.measured,
    r.met === undefined ? '-' : r.met ? 'yes' : 'NO',
    r.evidence,
  ]);
  const width = head.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k]!.length)));
  const line = (c: string[]) =>
    c
      .map((x, k) => (k === c.length - 1 ? x : x.padEnd(width[k]!)))
      .join('  ')
      .trimEnd();
  const shards =
    report.shards.length === 0
      ? 'no shard'
      : `shard${report.shards.length === 1 ? '' : 's'} ${report.shards.join(', ')}`;
  const ranges = report.replay?.ranges.map((r) => `shard ${r.shard} ${r.first_bar} to ${r.last_bar}`).join(', ');
  return [
    report.replay
      ? `SLOs of the replay of ${shards} (${report.timeframe}) from ${report.from} to ${report.to}, bars of the replayed range only${ranges ? ` (${ranges})` : ''}`
      : `SLOs of ${shards} (${report.timeframe}) from ${report.from} to ${report.to}, bars judged at ${report.as_of}`,
    line(head),
    ...cells.map(line),
    ...report.notes,
  ];
}
