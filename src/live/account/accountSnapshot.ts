// AccountSnapshot: account.json (equity, balance, the broker's positions per pair) parsed and checked against its schema.
import { PtError } from '../../core/ptError.js';
import { accountSchemaViolation } from '../../model/accountSchema.js';
import { spreadSideFromName, type SpreadSide } from '../../model/spreadSide.js';

/** The broker's net position of one pair: spread side and signed lots of each leg (+ bought, − sold). */
export interface AccountPosition {
  side: SpreadSide;
  lotsA: number;
  lotsB: number;
  tickets: number[];
  /** Cumulative P&L of the pair (USD), when the writer gives it: the per-pair drawdown level's mark. */
  pnlUsd?: number;
}

/** An alert of the writer for one pair (account.json `alerts`). */
export interface AccountAlert {
  pairId: string;
  alert: 'naked_leg' | 'second_leg_failed' | 'entry_failed' | 'incomplete' | 'no_margin' | 'entry_expired';
  critical: boolean;
  lotsA?: number;
  lotsB?: number;
}

export interface AccountSnapshot {
  /** When the writer took it (epoch ms UTC). */
  tsMs: number;
  equity: number;
  balance: number;
  margin?: number;
  /** Pairs with a position entry; a pair left out holds nothing. */
  positions: Map<string, AccountPosition>;
  /** The writer's alerts (empty when none). */
  alerts: AccountAlert[];
}

interface AccountFile {
  ts: string;
  equity: number;
  balance: number;
  margin?: number;
  positions: Record<string, { side: string; lots_A: number; lots_B: number; tickets: number[]; pnl_usd?: number }>;
  alerts?: Array<{
    pair_id: string;
    alert: AccountAlert['alert'];
    critical: boolean;
    lots_A?: number;
    lots_B?: number;
  }>;
}

function bad(source: string, reason: string, cause?: unknown): PtError {
  return new PtError('OPS_ACCOUNT_BAD', `${source}: ${reason}`, {
    source: 'live-account',
    details: { file: source },
    cause,
  });
}

/**
 * Parses the text of account.json; throws OPS_ACCOUNT_BAD when it is not JSON (a half-written file
 * usually is not) or breaks the schema. `source` names the file in the message.
 */
export function parseAccountSnapshot(text: string, source = 'account.json'): AccountSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw bad(source, `not valid JSON (${text.length} bytes; half-written?): ${(e as Error).message}`, e);
  }
  const violation = accountSchemaViolation(value);
  if (violation !== undefined) throw bad(source, `breaks the account schema: ${violation}`);
  const file = value as AccountFile;
  // The schema's pattern admits impossible times; Date.parse refuses month 13 but rolls Feb 30 over,
  // so the parsed time must print back as written.
  const tsMs = Date.parse(file.ts);
  if (Number.isNaN(tsMs) || new Date(tsMs).toISOString().slice(0, 19) !== file.ts.slice(0, 19))
    throw bad(source, `ts ${JSON.stringify(file.ts)} is not a valid time`);
  const positions = new Map<string, AccountPosition>();
  for (const [pairId, p] of Object.entries(file.positions))
    positions.set(pairId, {
      side: spreadSideFromName(p.side),
      lotsA: p.lots_A,
      lotsB: p.lots_B,
      tickets: p.tickets,
      ...(p.pnl_usd === undefined ? {} : { pnlUsd: p.pnl_usd }),
    });
  return {
    tsMs,
    equity: file.equity,
    balance: file.balance,
    ...(file.margin === undefined ? {} : { margin: file.margin }),
    positions,
    alerts: (file.alerts ?? []).map((a) => ({
      pairId: a.pair_id,
      alert: a.alert,
      critical: a.critical,
      ...(a.lots_A === undefined ? {} : { lotsA: a.lots_A }),
      ...(a.lots_B === undefined ? {} : { lotsB: a.lots_B }),
    })),
  };
}
