// deploy/prometheus: the alerting rules pass `promtool check rules`, their unit tests pass `promtool test
// rules`, every metric they read is one pt registers, and their thresholds are config/'s numbers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/loadConfig.js';
import { liveMetrics } from '../../src/observability/liveMetrics.js';
import { registry } from '../../src/observability/metrics.js';
import { findPromtool } from '../helpers/promtool.js';
import { repoRoot } from '../helpers/runPt.js';

const DIR = join(repoRoot, 'deploy/prometheus');
const RULES = join(DIR, 'pt-alerts.yml');
const promtool = findPromtool();
const work = mkdtempSync(join(tmpdir(), 'pt-rules-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(promtool!, args, { cwd: DIR, encoding: 'utf8' });

interface Rule {
  alert: string;
  expr: string;
}
const rules: Rule[] = (parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap(
  (g) => g.rules,
);
const exprOf = (alert: string) => rules.find((r) => r.alert === alert)!.expr;

/** Keywords and aggregation operators (`sum by (x) (…)`: not followed by a parenthesis right away). */
const PROMQL_WORDS = new Set(
  'and or unless by without on ignoring group_left group_right bool offset sum min max avg count group stddev stdvar topk bottomk quantile count_values'.split(
    ' ',
  ),
);
/** The metric names an expression reads: identifiers outside strings, label matchers and ranges that are not functions or keywords. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  // A name followed by `(` is a function (sum, increase, time, absent …).
  const names = [...bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)]
    .filter((m) => !/^\s*\(/.test(bare.slice(m.index + m[0].length)))
    .map((m) => m[0]);
  return names.filter((n) => !PROMQL_WORDS.has(n) && !/^\d/.test(n));
}

describe('Prometheus rules', () => {
  it('promtool check rules: every group, expression and template is valid', () => {
    if (!promtool) return;
    const r = run('check', 'rules', RULES);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`SUCCESS: ${rules.length} rules found`));
    expect(r.status).toBe(0);
  });

  it('promtool test rules: the unit tests of pt-alerts.test.yml pass', () => {
    if (!promtool) return;
    const r = run('test', 'rules', 'pt-alerts.test.yml');
    expect(r.stdout).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('the check fails on a broken expression (the test can fail)', () => {
    if (!promtool) return;
    const broken = join(work, 'broken.yml');
    writeFileSync(broken, readFileSync(RULES, 'utf8').replace('up{job="pt-live"} == 0', 'up{job="pt-live"} == = 0'));
    const r = run('check', 'rules', broken);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/parse error/);
  });

  it('every metric a rule reads is registered by pt (or is Prometheus’ own up)', async () => {
    // liveMetrics registers on import; the import above keeps it loaded.
    expect(liveMetrics.signalBarsTotal).toBeDefined();
    const registered = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set(rules.flatMap((r) => metricNames(r.expr)));
    expect(used).toContain('core_signal_due_bar_close_timestamp_seconds');
    expect(used).toContain('data_dq_pass_rate');
    for (const name of used) if (name !== 'up') expect(registered, name).toContain(name);
    expect(metricNames('sum by (shard) (increase(nope_total{a="b"}[1h])) > 2 * up')).toEqual(['nope_total', 'up']);
  });

  it("the thresholds are config/'s: SLO targets, the 1h freshness budget in the text, 3 x the heartbeat", () => {
    const config = loadConfig(join(repoRoot, 'config'));
    const t = config.pipeline_policy.slo_targets;
    expect(exprOf('PtIngestSuccessLow')).toContain(`< ${t.ingest_success_rate}`);
    expect(exprOf('PtDqPassRateLow')).toContain(`< ${t.dq_pass_rate}`);
    for (const burn of ['PtSignalAvailabilityBurnFast', 'PtSignalAvailabilityBurnSlow'])
      expect(exprOf(burn)).toContain(`(1 - ${t.signal_availability})`);
    expect(exprOf('PtShardHeartbeatLost')).toContain(`> ${3 * config.signals_policy.heartbeat_interval_seconds}`);
    expect(readFileSync(RULES, 'utf8')).toContain(
      `freshness_budget_seconds 1h: ${config.pipeline_policy.freshness_budget_seconds['1h']} s`,
    );
  });
});
