// account.json alerts as log lines: once when they appear (CRITICAL when critical, else a warning), once when gone.
import { describe, expect, it } from 'vitest';
import { AccountAlerts } from '../../../src/live/account/accountAlerts.js';
import { parseAccountSnapshot, type AccountAlert } from '../../../src/live/account/accountSnapshot.js';

describe('AccountAlerts', () => {
  it('logs each alert once while it lasts, CRITICAL when critical, and its clearing', () => {
    const lines: Array<{ level: string; entry: Record<string, unknown> }> = [];
    const log = {
      info: (e: object) => lines.push({ level: 'info', entry: e as Record<string, unknown> }),
      warn: (e: object) => lines.push({ level: 'warn', entry: e as Record<string, unknown> }),
      error: (e: object) => lines.push({ level: 'error', entry: e as Record<string, unknown> }),
    };
    const alerts = new AccountAlerts(log);
    const naked: AccountAlert = { pairId: 'XAUUSD_XAGUSD', alert: 'naked_leg', critical: true, lotsA: 0.5, lotsB: 0 };
    const incomplete: AccountAlert = { pairId: 'EURUSD_GBPUSD', alert: 'incomplete', critical: false };
    alerts.report([naked]);
    alerts.report([naked, incomplete]);
    alerts.report([incomplete]);
    alerts.report([]);
    expect(lines).toEqual([
      {
        level: 'error',
        entry: {
          event: 'account_alert',
          severity: 'CRITICAL',
          details: { pair_id: 'XAUUSD_XAGUSD', alert: 'naked_leg', lots_A: 0.5, lots_B: 0 },
        },
      },
      {
        level: 'warn',
        entry: {
          event: 'account_alert',
          details: { pair_id: 'EURUSD_GBPUSD', alert: 'incomplete', lots_A: null, lots_B: null },
        },
      },
      {
        level: 'info',
        entry: { event: 'account_alert_cleared', details: { pair_id: 'XAUUSD_XAGUSD', alert: 'naked_leg' } },
      },
      {
        level: 'info',
        entry: { event: 'account_alert_cleared', details: { pair_id: 'EURUSD_GBPUSD', alert: 'incomplete' } },
      },
    ]);
  });

  it('logs an entry given up at its expiry (entry_expired) as a warning', () => {
    const lines: Array<{ level: string; entry: Record<string, unknown> }> = [];
    const alerts = new AccountAlerts({
      warn: (e: object) => lines.push({ level: 'warn', entry: e as Record<string, unknown> }),
      error: (e: object) => lines.push({ level: 'error', entry: e as Record<string, unknown> }),
    });
    const expired: AccountAlert = {
      pairId: 'EURUSD_GBPUSD',
      alert: 'entry_expired',
      critical: false,
      lotsA: 0,
      lotsB: 0,
    };
    alerts.report([expired]);
    alerts.report([expired]);
    expect(lines).toEqual([
      {
        level: 'warn',
        entry: {
          event: 'account_alert',
          details: { pair_id: 'EURUSD_GBPUSD', alert: 'entry_expired', lots_A: 0, lots_B: 0 },
        },
      },
    ]);
  });

  it('reads entry_expired from an account.json the EA wrote', () => {
    const text = JSON.stringify({
      schema_version: 'v1',
      ts: '2026-03-02T14:00:05.250Z',
      equity: 1000,
      balance: 1000,
      positions: {},
      alerts: [{ pair_id: 'EURUSD_GBPUSD', alert: 'entry_expired', critical: false, lots_A: 0, lots_B: 0 }],
    });
    expect(parseAccountSnapshot(text).alerts).toEqual([
      { pairId: 'EURUSD_GBPUSD', alert: 'entry_expired', critical: false, lotsA: 0, lotsB: 0 },
    ]);
  });
});
