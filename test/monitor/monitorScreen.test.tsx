// The monitor's frames from a MonitorState built by hand: every view, a lost shard, a stale pair, Redis down,
// 80 columns without a longer line, and the extra columns of a wide terminal.
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MonitorHistory } from '../../src/monitor/monitorHistory.js';
import type { MonitorScreenProps } from '../../src/monitor/MonitorScreen.js';
import type { MonitorFeed } from '../../src/monitor/monitorSource.js';
import { NOW, SETTINGS, sampleState } from '../helpers/monitorFixtures.js';

// Colours are part of what is tested: chalk reads FORCE_COLOR when Ink is first loaded.
const forceColor = process.env.FORCE_COLOR;
process.env.FORCE_COLOR = '1';
const { render } = await import('ink-testing-library');
const { renderToString } = await import('ink');
const { MonitorScreen } = await import('../../src/monitor/MonitorScreen.js');
if (forceColor === undefined) delete process.env.FORCE_COLOR;
else process.env.FORCE_COLOR = forceColor;

const RED = '\u001b[31m';
const DIM = '\u001b[2m';

function feed(over: Partial<MonitorFeed> = {}): MonitorFeed {
  const history = new MonitorHistory();
  const state = sampleState();
  for (let k = 0; k < 5; k++)
    history.record({
      ...state,
      shards: state.shards.map((s) => (s.equity === undefined ? s : { ...s, equity: s.equity + k * 100 })),
    });
  return { state, history, ...over };
}

function props(over: Partial<MonitorScreenProps> = {}): MonitorScreenProps {
  return {
    feed: feed(),
    settings: SETTINGS,
    label: 'redis://127.0.0.1:6379/0',
    kind: 'redis',
    view: 'portfolio',
    sort: 'pair',
    filter: '',
    columns: 80,
    rows: 24,
    nowMs: NOW,
    ...over,
  };
}

function frame(p: MonitorScreenProps): { raw: string; text: string; lines: string[] } {
  const { lastFrame, unmount } = render(<MonitorScreen {...p} />);
  const raw = lastFrame() ?? '';
  unmount();
  const text = stripVTControlCharacters(raw);
  return { raw, text, lines: text.split('\n') };
}

/** Terminal columns of a line: CJK and fullwidth characters take two. */
function displayWidth(line: string): number {
  return [...line].reduce(
    (n, c) =>
      n +
      (/[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(c) ? 2 : 1),
    0,
  );
}

/** The raw (coloured) line holding `needle`. */
function rawLine(raw: string, needle: string): string {
  return raw.split('\n').find((l) => stripVTControlCharacters(l).includes(needle)) ?? '';
}

describe('MonitorScreen', () => {
  it('portfolio: flags, DD thresholds, each shard with heartbeat, level, equity and trend, recent alerts', () => {
    const { raw, text } = frame(props());
    expect(text).toContain('[1 Portfolio]');
    expect(text).toContain('global halt none');
    expect(text).toMatch(/halted pairs GBPUSD_USDCHF\(soft\)/);
    expect(text).toContain('warn 8.0%  halt 10.0%  flatten 12.0%');
    // The equity shown is the snapshot's; the trend is the five samples the history kept (+100 each).
    expect(text).toMatch(/^0 +4s ago +warn +8\.5% +101,235 +▁▃▅▆█ 2 XAUUSD_XAGUSD/m);
    expect(text).toContain('recent alerts');
    expect(text).toMatch(/WARNING +DATA_DQ_GAP +gap of 3 bars in XAUUSD/);
    // Shard 1 has no heartbeat at all: red.
    expect(text).toMatch(/^1 +none /m);
    expect(rawLine(raw, '1     none')).toContain(RED);
    expect(rawLine(raw, '0     4s ago')).not.toContain(`${RED}4s`);
  });

  it('portfolio: a heartbeat past its TTL is LOST, in red', () => {
    const state = sampleState();
    state.shards[0] = { ...state.shards[0]!, heartbeat: { ts: '', age_seconds: 95, lost: true }, lost: true };
    const { raw, text } = frame(props({ feed: { ...feed(), state } }));
    expect(text).toMatch(/^0 +LOST 95s/m);
    expect(rawLine(raw, 'LOST 95s')).toMatch(new RegExp(`${RED.replace('[', '\\[')}(\\u001b\\[1m)?LOST 95s`));
  });

  it('pairs: z with its trend, prob, risk, position, last signal and age, stale, reconcile', () => {
    const { raw, text } = frame(props({ view: 'pairs' }));
    expect(text).toContain('[2 Pairs]');
    expect(text).toMatch(/PAIR +Z Z TREND +PROB +RISK POS +SIGNAL +AGE STALE RECONCILE/);
    expect(text).toMatch(/XAUUSD_XAGUSD +1\.84 +▄ +0\.71 +0\.22 LONG +open +9s no +ok/);
    // No bar time, so no z history yet: a blank trend.
    expect(text).toMatch(/EURUSD_GBPUSD +-2\.41 +0\.30 +0\.61 flat +hold +10m STALE MISMATCH/);
    expect(rawLine(raw, 'EURUSD_GBPUSD')).toContain(RED);
    // Sorted by pair id by default.
    const order = ['EURUSD_GBPUSD', 'GBPUSD_USDCHF', 'XAUUSD_XAGUSD'].map((id) => text.indexOf(id));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('pairs: sorted by |z| and filtered by text', () => {
    const byZ = frame(props({ view: 'pairs', sort: '|z|' })).text;
    expect(byZ.indexOf('EURUSD_GBPUSD')).toBeLessThan(byZ.indexOf('XAUUSD_XAGUSD'));
    expect(byZ.indexOf('XAUUSD_XAGUSD')).toBeLessThan(byZ.indexOf('GBPUSD_USDCHF'));
    expect(byZ).toContain('sort |z|');
    const filtered = frame(props({ view: 'pairs', filter: 'xau' })).text;
    expect(filtered).toContain('XAUUSD_XAGUSD');
    expect(filtered).not.toContain('EURUSD_GBPUSD');
    expect(filtered).toContain('filter "xau"');
  });

  it('alerts: newest first, severity coloured', () => {
    const { raw, text } = frame(props({ view: 'alerts' }));
    expect(text).toContain('[3 Alerts]');
    expect(text.indexOf('DATA_DQ_GAP')).toBeLessThan(text.indexOf('OPS_REDIS_CONNFAIL'));
    expect(rawLine(raw, 'OPS_REDIS_CONNFAIL')).toContain(RED);
    expect(rawLine(raw, 'DATA_DQ_GAP')).toContain('\u001b[33m');
  });

  it('Redis down: a banner with the redacted URL and the time of the data shown, the data greyed', () => {
    const f = feed({ down: { message: 'OPS_BUS_DOWN: …', lastGoodAtMs: NOW - 65_000 } });
    const { raw, text } = frame(props({ feed: f, label: 'redis://u:***@10.0.0.5:6379/0' }));
    expect(text).toContain('Redis unreachable at redis://u:***@10.0.0.5:6379/0 — showing data from 01:58:55');
    expect(rawLine(raw, 'XAUUSD_XAGUSD')).toContain(DIM);
    // Up again: no banner, no grey.
    const up = frame(props());
    expect(up.text).not.toContain('unreachable');
    expect(rawLine(up.raw, '101,235')).not.toContain(DIM);
  });

  it('fits 80×24: no line longer than 80, at most 23 lines, in every view and with a prompt and an outcome', () => {
    const long = sampleState();
    long.pairs = Array.from({ length: 40 }, (_, k) => ({ ...long.pairs[0]!, pairId: `PAIRWITHALONGNAME${k}_X` }));
    long.alerts = Array.from({ length: 40 }, (_, k) => ({
      ...long.alerts[1]!,
      event_id: `e${k}`,
      message: '長い'.repeat(60),
    }));
    for (const view of ['portfolio', 'pairs', 'alerts'] as const)
      for (const extra of [
        {},
        { prompt: { kind: 'halt' as const, text: 'HAL' } },
        { outcome: { ok: false, text: 'OPS_RESUME_REFUSED: '.repeat(10) } },
        { feed: { ...feed(), state: long, down: { message: 'x', lastGoodAtMs: NOW } } },
      ]) {
        const { lines } = frame(props({ view, ...extra }));
        for (const l of lines) expect(displayWidth(l), `${view}: ${l}`).toBeLessThanOrEqual(80);
        expect(lines.length, view).toBeLessThanOrEqual(23);
      }
    const { text } = frame(props({ view: 'pairs', feed: { ...feed(), state: long } }));
    expect(text).toMatch(/… \d+ more/);
  });

  it('a wide terminal shows the extra columns (shard, beta, rho, halt, bar, seq) and longer sparklines', () => {
    const wide = stripVTControlCharacters(
      renderToString(<MonitorScreen {...props({ view: 'pairs', columns: 160 })} />, { columns: 160 }),
    );
    expect(wide).toMatch(
      /PAIR +SH +Z Z TREND +PROB +RISK +BETA +RHO POS +SIGNAL +AGE STALE RECONCILE HALT +BAR \(UTC\) +SEQ/,
    );
    expect(wide).toMatch(/XAUUSD_XAGUSD +0 +1\.84 .*0\.0123? +0\.88 LONG .* 12-04 01:00 1764814500000123/);
    expect(wide).toMatch(/GBPUSD_USDCHF .* soft /);
    for (const l of wide.split('\n')) expect(displayWidth(l)).toBeLessThanOrEqual(160);
    const narrow = frame(props({ view: 'pairs' })).text;
    expect(narrow).not.toContain('BETA');
    expect(narrow).not.toContain('SEQ');
    const trend = (t: string) => /Z TREND( *)/.exec(t)![0].length;
    expect(trend(wide)).toBeGreaterThan(trend(narrow));
  });
});
