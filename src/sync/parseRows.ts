// The local files' lines and tables as history rows: a line that is not what its writer writes is a
// reason (the caller logs it and goes on), never a row.
import { accountSchemaViolation } from '../model/accountSchema.js';
import type { AccountRow, AlertRow, DdLevelRow, FillRow, SignalRow } from '../ports/historyStore.js';
import type { TableColumnsRead } from '../ports/tableWriter.js';

export type Parsed<R> = { row: R } | { skip: string } | null;

const isoOf = (text: unknown): string | undefined =>
  typeof text === 'string' && Number.isFinite(Date.parse(text)) ? new Date(Date.parse(text)).toISOString() : undefined;

const FILL_COLUMNS = 13;

/** A fills.csv line (`time_gmt,pair_id,magic,leg,symbol,side,reduce,lots,filled,price,order,deal,retcode`); null for the header. */
export function fillRowOf(text: string, lineNo: number, shard: number): Parsed<FillRow> {
  if (text.startsWith('time_gmt,') || text.trim() === '') return null;
  const f = text.split(',');
  if (f.length !== FILL_COLUMNS) return { skip: `${f.length} fields, expected ${FILL_COLUMNS}` };
  const time = isoOf(f[0]);
  const n = (i: number) => (f[i]!.trim() === '' ? Number.NaN : Number(f[i]));
  const [magic, lots, filled, price, order, deal, retcode] = [2, 7, 8, 9, 10, 11, 12].map(n) as number[];
  if (time === undefined) return { skip: `time_gmt ${f[0]} is not a time` };
  if (![magic, lots, filled, price, order, deal, retcode].every(Number.isFinite))
    return { skip: 'a number field is not a number' };
  return {
    row: {
      shard,
      // A deal ticket is unique in its account; a request without a deal is known by its line alone.
      fill_id: deal! > 0 ? `deal:${deal}` : `line:${lineNo}`,
      time_gmt: time,
      pair_id: f[1]!,
      magic: magic!,
      leg: f[3]!,
      symbol: f[4]!,
      side: f[5]!,
      reduce: f[6] === '1',
      lots: lots!,
      filled: filled!,
      price: price!,
      order_ticket: order!,
      deal: deal!,
      retcode: retcode!,
    },
  };
}

function jsonOf(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** An alerts.jsonl record (the AlertRecord the alerts store appends). */
export function alertRowOf(text: string): Parsed<AlertRow> {
  if (text.trim() === '') return null;
  const r = jsonOf(text);
  if (r === undefined) return { skip: 'not a JSON object' };
  const occurred = isoOf(r.occurred_at);
  const str = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
  const [event_id, error_id, severity, source, message] = ['event_id', 'error_id', 'severity', 'source', 'message'].map(
    str,
  );
  if (!event_id || !error_id || !severity || source === undefined || message === undefined || occurred === undefined)
    return { skip: 'not an alert record (event_id, error_id, severity, source, message, occurred_at)' };
  return {
    row: {
      event_id,
      error_id,
      severity,
      source,
      message,
      occurred_at: occurred,
      details: JSON.stringify(r.details ?? {}),
    },
  };
}

/** A `dd.action` entry of shard `shard` in the audit log (pt live's DrawdownWatch); null for any other entry. */
export function ddLevelRowOf(text: string, shard: number): Parsed<DdLevelRow> {
  if (text.trim() === '') return null;
  const e = jsonOf(text);
  if (e === undefined) return { skip: 'not a JSON object' };
  if (e.action !== 'dd.action' || e.scope !== `shard:${shard}`) return null;
  const after = (e.after ?? {}) as Record<string, unknown>;
  const before = e.before as Record<string, unknown> | null;
  const barTs = isoOf(e.bar_ts);
  const time = isoOf(e.time);
  if (barTs === undefined || time === undefined || typeof after.level !== 'string')
    return { skip: 'a dd.action entry without bar_ts, time or after.level' };
  return {
    row: {
      shard,
      bar_ts: barTs,
      level: after.level,
      drawdown: typeof after.drawdown === 'number' ? after.drawdown : null,
      pairs: JSON.stringify(after.pairs ?? {}),
      before_level: typeof before?.level === 'string' ? before.level : null,
      before_pairs: before?.pairs === undefined || before.pairs === null ? null : JSON.stringify(before.pairs),
      audited_at: time,
    },
  };
}

/** account.json (the EA's or pt paper's), checked against its schema. */
export function accountRowOf(text: string, shard: number): Parsed<AccountRow> {
  const a = jsonOf(text);
  if (a === undefined) return { skip: 'not a JSON object' };
  const problem = accountSchemaViolation(a);
  if (problem !== undefined) return { skip: `not an account.json: ${problem}` };
  return {
    row: {
      shard,
      ts: isoOf(a.ts)!,
      equity: a.equity as number,
      balance: a.balance as number,
      margin: typeof a.margin === 'number' ? a.margin : null,
      positions: JSON.stringify(a.positions),
      alerts: JSON.stringify(a.alerts ?? []),
    },
  };
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
const isoOrNull = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

/** The rows of one signals history table (SIGNAL_HISTORY_COLUMNS read back). */
export function signalRowsOf(t: TableColumnsRead): SignalRow[] {
  const num = (c: string) => t[c] as Float64Array;
  const str = (c: string) => t[c] as string[];
  const rows: SignalRow[] = [];
  for (let i = 0; i < num('seq').length; i++)
    rows.push({
      signal_id: str('signal_id')[i]!,
      shard: num('shard')[i]!,
      seq: num('seq')[i]!,
      generated_at: new Date(num('generated_at')[i]!).toISOString(),
      model_version: str('model_version')[i]!,
      stale: num('stale')[i] === 1,
      global_halt: num('global_halt')[i] === 1,
      leverage_scale: num('leverage_scale')[i]!,
      pair_id: str('pair_id')[i]!,
      bar_ts: new Date(num('bar_ts')[i]!).toISOString(),
      action: str('action')[i]!,
      side: str('side')[i]!,
      target_side: str('target_side')[i]!,
      target_lots_a: num('target_lots_a')[i]!,
      target_lots_b: num('target_lots_b')[i]!,
      target_legs: str('target_legs')[i]!,
      z: finiteOrNull(num('z')[i]!),
      beta: finiteOrNull(num('beta')[i]!),
      return_prob: finiteOrNull(num('return_prob')[i]!),
      risk_score: finiteOrNull(num('risk_score')[i]!),
      position_scale: num('position_scale')[i]!,
      reason: str('reason')[i]!,
      expires_at: isoOrNull(num('expires_at')[i]!),
    });
  return rows;
}
