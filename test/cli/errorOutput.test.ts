// What a failure prints: one human line, the SPEC §11 JSON line once when LOG_LEVEL is set, the
// causes' stacks under LOG_LEVEL=DEBUG; DATA_DQ_THRESHOLD warnings from pt dq; a corrupt quarantine
// file named by path (probe #61 and "Error ids and debug output").
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticIngestArgs } from '../helpers/ingestArgs.js';
import { runPt, repoRoot } from '../helpers/runPt.js';

const configDir = join(repoRoot, 'config');
const work = mkdtempSync(join(tmpdir(), 'pt-cli-errors-'));
const pt = (args: string[], env: NodeJS.ProcessEnv = {}) => runPt(['-c', configDir, ...args], env, work);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const jsonLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Hourly bars of June 2023 with 12–16 June absent: a missing rate far over 0.05. */
function csvWithHole(): string {
  const rows = ['ts,open,high,low,close,volume'];
  let close = 100;
  for (let t = Date.UTC(2023, 5, 1); t < Date.UTC(2023, 6, 1); t += 3_600_000) {
    const d = new Date(t);
    if (d.getUTCDate() >= 12 && d.getUTCDate() <= 16) continue;
    const open = close;
    close = open * (1 + Math.sin(t / 7e6) * 0.001);
    const ts = d.toISOString().slice(0, 19).replace('T', ' ');
    rows.push([ts, open, Math.max(open, close) + 0.01, Math.min(open, close) - 0.01, close, 10].join(','));
  }
  return `${rows.join('\n')}\n`;
}

describe('the failure of a command', () => {
  const missingDir = '/nonexistent/pt-config';

  it('with LOG_LEVEL set: the human line, then the SPEC §11 payload as one JSON line at error level', () => {
    const r = runPt(['config', 'validate', '--dir', missingDir], { LOG_LEVEL: 'WARN' });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`ERROR CORE_CONFIG_MISSING: config directory not found: ${missingDir}`);
    const [payload] = jsonLines(r.stderr);
    expect(payload).toMatchObject({
      level: 'error',
      event: 'command_failed',
      error_id: 'CORE_CONFIG_MISSING',
      severity: 'CRITICAL',
      source: 'config',
      details: {},
      message: `config directory not found: ${missingDir}`,
    });
    expect(payload!.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(String(payload!.occurred_at)))).toBe(false);
    expect(r.stderr.match(/"source"/g)).toHaveLength(1);
  });

  it('without LOG_LEVEL (a terminal): the human line only', () => {
    const r = runPt(['config', 'validate', '--dir', missingDir], { LOG_LEVEL: '' });
    expect(r.stderr.trim().split('\n')).toEqual([
      `ERROR CORE_CONFIG_MISSING: config directory not found: ${missingDir}`,
    ]);
  });

  it('a usage error is logged the same way, with exit 2', () => {
    const r = runPt(['dq', '--no-such-flag'], { LOG_LEVEL: 'INFO' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ERROR CORE_CLI_USAGE: unknown option '--no-such-flag'/);
    expect(jsonLines(r.stderr).map((p) => p.error_id)).toEqual(['CORE_CLI_USAGE']);
  });
});

describe('a store with a corrupt quarantine file (#61)', () => {
  const data = join(work, 'data');
  const quarantine = join(data, 'canonical/1h/__quarantine.json');

  beforeAll(() => {
    const r = pt(syntheticIngestArgs('SYNA,SYNB', '2023-01-01', '2023-03-01', '--data-dir', data));
    expect(r.code, r.stderr).toBe(0);
    mkdirSync(join(data, 'canonical/1h'), { recursive: true });
    writeFileSync(quarantine, 'garbage{\n');
  });

  it('features and dq stop with DATA_STORAGE_CORRUPT naming the file, on one line', () => {
    for (const args of [
      ['features', '--pair', 'SYNA_SYNB', '--timeframe', '1h', '--data-dir', data, '--out', join(work, 'f.csv')],
      ['dq', '--symbols', 'SYNA', '--timeframe', '1h', '--data-dir', data, '--report', join(work, 'dq.json')],
    ]) {
      const r = pt(args, { LOG_LEVEL: '' });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        new RegExp(`^ERROR DATA_STORAGE_CORRUPT: quarantine file ${quarantine} is not valid JSON`),
      );
    }
  });

  it('LOG_LEVEL=DEBUG shows the stack of the wrapper and of its cause, in the TypeScript sources', () => {
    const r = pt(['dq', '--symbols', 'SYNA', '--timeframe', '1h', '--data-dir', data], { LOG_LEVEL: 'DEBUG' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ERROR DATA_STORAGE_CORRUPT');
    expect(r.stderr).toMatch(/\ncaused by: SyntaxError: /);
    expect(r.stderr).toMatch(/at readQuarantine \(.*src\/data\/dq\/quarantine\.ts:\d+:\d+\)/);
    expect(jsonLines(r.stderr).filter((p) => p.event === 'command_failed')).toHaveLength(1);
  });
});

describe('pt dq quarantining a month', () => {
  it('logs a DATA_DQ_THRESHOLD warning with the month and still exits 0', () => {
    const data = join(work, 'hole-data');
    const csv = join(work, 'hole.csv');
    writeFileSync(csv, csvWithHole());
    const i = pt([
      'ingest',
      '--source',
      'csv',
      '--path',
      csv,
      '--symbols',
      'QHOLE',
      '--timeframe',
      '1h',
      '--data-dir',
      data,
    ]);
    expect(i.code, i.stderr).toBe(0);
    const r = pt(
      ['dq', '--symbols', 'QHOLE', '--timeframe', '1h', '--data-dir', data, '--report', join(work, 'q.json')],
      {
        LOG_LEVEL: '',
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 months quarantined (1 new, 0 released)');
    const warnings = jsonLines(r.stderr);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      level: 'warn',
      source: 'dq',
      event: 'dq_quarantine',
      error_id: 'DATA_DQ_THRESHOLD',
      severity: 'WARNING',
      symbol: 'QHOLE',
      timeframe: '1h',
      details: { symbol: 'QHOLE', month: '2023-06', new: true },
    });
    expect(String(warnings[0]!.message)).toMatch(/^QHOLE 1h 2023-06 quarantined: missing_rate 0\.\d+ > 0\.05$/);
  });
});
