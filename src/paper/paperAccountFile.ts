// What pt paper writes for pt live and for people: account.json (the EA's schema, validated before the
// write) and fills.csv lines (the EA's columns, so one tool reads both).
import { PtError } from '../core/ptError.js';
import { ACCOUNT_SCHEMA, accountSchemaViolation } from '../model/accountSchema.js';
import type { PaperFill, PaperLedger, PaperPosition } from './paperLedger.js';

export interface PaperAccountJson {
  schema_version: (typeof ACCOUNT_SCHEMA)['properties']['schema_version']['const'];
  ts: string;
  equity: number;
  balance: number;
  margin: number;
  positions: Record<string, PaperPosition>;
}

/** The ledger as account.json at `nowMs`; a violation of the schema is a bug here, never written. */
export function paperAccountJson(ledger: PaperLedger, nowMs: number): PaperAccountJson {
  const account: PaperAccountJson = {
    schema_version: 'v1',
    ts: new Date(nowMs).toISOString(),
    equity: ledger.equityUsd(),
    balance: ledger.balanceUsd(),
    margin: ledger.marginUsd(),
    positions: ledger.positions(),
  };
  const problem = accountSchemaViolation(account);
  if (problem !== undefined)
    throw new PtError('CORE_INTERNAL_BUG', `pt paper built an account.json the schema refuses: ${problem}`, {
      source: 'paper',
    });
  return account;
}

export const FILLS_HEADER = 'time_gmt,pair_id,magic,leg,symbol,side,reduce,lots,filled,price,order,deal,retcode';

/**
 * One fills.csv line per leg fill, in the EA's columns: magic is the pair's place in the shard
 * (paper has no pairs.csv), order and deal are the ticket, a fill that closes a position is `reduce` 1.
 */
export function fillsCsvLines(fills: readonly PaperFill[], magics: Readonly<Record<string, number>>): string {
  return fills
    .map((f) =>
      [
        new Date(f.timeMs).toISOString(),
        f.pairId,
        magics[f.pairId] ?? 0,
        f.leg,
        f.symbol,
        f.side,
        f.reduce ? 1 : 0,
        f.lots,
        f.lots,
        f.price,
        f.ticket,
        f.ticket,
        f.retcode,
      ].join(','),
    )
    .map((l) => `${l}\n`)
    .join('');
}
