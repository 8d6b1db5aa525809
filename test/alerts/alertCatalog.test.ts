// The alert ids: each in the error catalog with the seed's severity, routed to its channel and
// template, and listed in docs/alerts.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_CATALOG, alertRoute } from '../../src/alerts/alertCatalog.js';
import { ERROR_CATALOG, type ErrorId } from '../../src/core/errorCatalog.js';
import { repoRoot } from '../helpers/runPt.js';

const ids = Object.keys(ALERT_CATALOG) as ErrorId[];

describe('alert catalog', () => {
  it('has the seed severities', () => {
    const bySeverity = (s: string) => ids.filter((id) => ERROR_CATALOG[id].severity === s).sort();
    expect(bySeverity('CRITICAL')).toEqual(
      [
        'ANALYTICS_LOSS_STREAK',
        'DATA_API_DOWN',
        'OPS_HEARTBEAT_LOST',
        'OPS_RECONCILE_MISMATCH',
        'OPS_DD_HALT',
        'OPS_DD_FLATTEN',
        'OPS_ACCOUNT_ALERT',
        'OPS_RETRAIN_FAILED',
        'BT_ACCEPT_FAIL',
        'OPS_BUS_DOWN',
      ].sort(),
    );
    expect(bySeverity('WARNING')).toEqual(
      ['DATA_API_CIRCUIT', 'DATA_DQ_THRESHOLD', 'DATA_DQ_OUTLIER', 'DATA_FRESH_STALE', 'OPS_LATENCY_REDIS'].sort(),
    );
    expect(bySeverity('INFO')).toEqual(['OPS_RETRAIN_PROMOTED', 'OPS_RETRAIN_HELD', 'OPS_ACTION_APPLIED'].sort());
  });

  it('routes CRITICAL to paging, retrain outcomes to analytics, ops actions through the ops template', () => {
    expect(alertRoute('OPS_DD_HALT')).toEqual({
      severity: 'CRITICAL',
      channel: 'CRITICAL',
      template: 'alert',
      page: true,
    });
    expect(alertRoute('DATA_FRESH_STALE')).toEqual({
      severity: 'WARNING',
      channel: 'WARNING',
      template: 'alert',
      page: false,
    });
    expect(alertRoute('OPS_RETRAIN_HELD').channel).toBe('analytics');
    expect(alertRoute('OPS_ACTION_APPLIED')).toEqual({
      severity: 'INFO',
      channel: 'INFO',
      template: 'ops',
      page: false,
    });
    // Any catalogued id can be raised (a guard's refusal under its own id): its severity routes it.
    expect(alertRoute('DATA_PRICE_RANGE')).toMatchObject({ severity: 'CRITICAL', page: true });
  });

  it('docs/alerts.md lists every alert id with its severity', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'alerts.md'), 'utf8');
    for (const id of ids) expect(doc, id).toMatch(new RegExp(`\\| \`${id}\` \\| ${ERROR_CATALOG[id].severity} \\|`));
  });
});
