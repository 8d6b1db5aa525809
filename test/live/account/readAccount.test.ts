// account.json: a good file is taken; a torn, invalid or missing one is rejected with an error id and the last good one kept.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAccountSnapshot } from '../../../src/live/account/accountSnapshot.js';
import { readAccount } from '../../../src/live/account/readAccount.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function accountPath(): string {
  const d = mkdtempSync(join(tmpdir(), 'pt-account-'));
  dirs.push(d);
  return join(d, 'account.json');
}

const GOOD = {
  schema_version: 'v1',
  ts: '2026-03-02T14:00:05.250Z',
  equity: 100_512.37,
  balance: 100_000,
  margin: 2_150.5,
  positions: {
    EURUSD_GBPUSD: { side: 'SHORT_SPREAD', lots_A: -0.37, lots_B: 0.41, tickets: [5001, 5002], pnl_usd: -212.5 },
    XAUUSD_XAGUSD: { side: 'FLAT', lots_A: 0, lots_B: 0, tickets: [] },
  },
};
const GOOD_TEXT = `${JSON.stringify(GOOD, null, 2)}\n`;

function withChange(change: (doc: Record<string, any>) => void): string {
  const doc = structuredClone(GOOD) as Record<string, any>;
  change(doc);
  return JSON.stringify(doc);
}

function warnings(): { entries: Record<string, any>[]; warn(entry: object): void } {
  const entries: Record<string, any>[] = [];
  return { entries, warn: (e: object) => entries.push(e as Record<string, any>) };
}

describe('readAccount', () => {
  it('takes a good file: equity, balance, margin, and each pair as spread side and signed lots', async () => {
    const path = accountPath();
    writeFileSync(path, GOOD_TEXT);
    const r = await readAccount(path, undefined);
    expect(r.error).toBeUndefined();
    expect(r.text).toBe(GOOD_TEXT);
    expect(r.snapshot).toEqual({
      tsMs: Date.parse('2026-03-02T14:00:05.250Z'),
      equity: 100_512.37,
      balance: 100_000,
      margin: 2_150.5,
      positions: new Map([
        ['EURUSD_GBPUSD', { side: -1, lotsA: -0.37, lotsB: 0.41, tickets: [5001, 5002], pnlUsd: -212.5 }],
        ['XAUUSD_XAGUSD', { side: 0, lotsA: 0, lotsB: 0, tickets: [] }],
      ]),
      alerts: [],
    });
    // The EA's alerts: kept with their pair, kind, criticality and lots; an unknown kind breaks the schema.
    const alerts = [{ pair_id: 'EURUSD_GBPUSD', alert: 'naked_leg', critical: true, lots_A: -0.37, lots_B: 0 }];
    expect(parseAccountSnapshot(withChange((d) => (d.alerts = alerts))).alerts).toEqual([
      { pairId: 'EURUSD_GBPUSD', alert: 'naked_leg', critical: true, lotsA: -0.37, lotsB: 0 },
    ]);
    expect(() => parseAccountSnapshot(withChange((d) => (d.alerts = [{ ...alerts[0], alert: 'oops' }])))).toThrow(
      /alerts/,
    );
    // margin and pnl_usd are optional; pnl_usd must be a number.
    expect(
      parseAccountSnapshot(withChange((d) => delete d.positions.EURUSD_GBPUSD.pnl_usd)).positions.get('EURUSD_GBPUSD'),
    ).not.toHaveProperty('pnlUsd');
    expect(() => parseAccountSnapshot(withChange((d) => (d.positions.EURUSD_GBPUSD.pnl_usd = '-212.5')))).toThrow(
      /pnl_usd/,
    );
    expect(parseAccountSnapshot(withChange((d) => delete d.margin)).margin).toBeUndefined();
  });

  it('a half-written file (every prefix of a good one) is OPS_ACCOUNT_BAD, logged, and the last good snapshot stays', async () => {
    const path = accountPath();
    writeFileSync(path, GOOD_TEXT);
    const lastGood = (await readAccount(path, undefined)).snapshot!;
    const log = warnings();
    const body = GOOD_TEXT.trimEnd();
    for (let n = 0; n < body.length; n++) {
      writeFileSync(path, body.slice(0, n));
      const r = await readAccount(path, lastGood, log);
      expect(r.error?.id, `prefix of ${n} bytes`).toBe('OPS_ACCOUNT_BAD');
      expect(r.snapshot).toBe(lastGood);
      expect(r.text).toBeUndefined();
    }
    expect(log.entries).toHaveLength(body.length);
    expect(log.entries[0]).toMatchObject({ event: 'account_rejected', details: { error_id: 'OPS_ACCOUNT_BAD' } });
  });

  it.each([
    ['a missing key', (d: Record<string, any>) => delete d.equity, '/equity'],
    ['an unknown key', (d: Record<string, any>) => (d.free_margin = 1), '/free_margin'],
    ['another schema version', (d: Record<string, any>) => (d.schema_version = 'v2'), '/schema_version'],
    [
      'a side that is no spread side',
      (d: Record<string, any>) => (d.positions.EURUSD_GBPUSD.side = 'SELL'),
      '/positions/EURUSD_GBPUSD/side',
    ],
    [
      'lots as text',
      (d: Record<string, any>) => (d.positions.EURUSD_GBPUSD.lots_A = '-0.37'),
      '/positions/EURUSD_GBPUSD/lots_A',
    ],
    [
      'a negative ticket',
      (d: Record<string, any>) => (d.positions.EURUSD_GBPUSD.tickets = [-1]),
      '/positions/EURUSD_GBPUSD/tickets/0',
    ],
    ['a local time without Z', (d: Record<string, any>) => (d.ts = '2026-03-02T14:00:05'), '/ts'],
    ['an impossible month', (d: Record<string, any>) => (d.ts = '2026-13-02T14:00:05Z'), 'ts'],
    ['an impossible day', (d: Record<string, any>) => (d.ts = '2026-02-30T14:00:05Z'), 'ts'],
    ['hour 24', (d: Record<string, any>) => (d.ts = '2026-02-03T24:00:00Z'), 'ts'],
    ['positions as a list', (d: Record<string, any>) => (d.positions = []), '/positions'],
  ])('rejects %s with OPS_ACCOUNT_BAD naming where', async (_name, change, where) => {
    const path = accountPath();
    writeFileSync(path, withChange(change));
    const lastGood = parseAccountSnapshot(GOOD_TEXT);
    const r = await readAccount(path, lastGood);
    expect(r.error?.id).toBe('OPS_ACCOUNT_BAD');
    expect(r.error?.message).toContain(where);
    expect(r.snapshot).toBe(lastGood);
  });

  it('a missing file is CORE_FS_MISSING, logged, and keeps the last good snapshot (none before the first good file)', async () => {
    const path = accountPath();
    const log = warnings();
    const first = await readAccount(path, undefined, log);
    expect(first.error?.id).toBe('CORE_FS_MISSING');
    expect(first.snapshot).toBeUndefined();
    const lastGood = parseAccountSnapshot(GOOD_TEXT);
    expect((await readAccount(path, lastGood, log)).snapshot).toBe(lastGood);
    expect(log.entries.map((e) => e.event)).toEqual(['account_unreadable', 'account_unreadable']);
  });

  it('the next good file replaces the last good one', async () => {
    const path = accountPath();
    writeFileSync(path, GOOD_TEXT);
    const first = (await readAccount(path, undefined)).snapshot!;
    writeFileSync(path, '{"schema_version":"v1",');
    expect((await readAccount(path, first)).snapshot).toBe(first);
    writeFileSync(
      path,
      withChange((d) => (d.equity = 99_000)),
    );
    expect((await readAccount(path, first)).snapshot!.equity).toBe(99_000);
  });
});
