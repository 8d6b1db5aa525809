// The portfolio view: ops flags, each shard's heartbeat, drawdown level and equity with its trend, recent alerts.
import { Box } from 'ink';
import type { MonitorHistory } from './monitorHistory.js';
import { age, cell, money, percent } from './monitorFormat.js';
import type { MonitorSettings } from './monitorSettings.js';
import type { MonitorState, ShardState } from './monitorState.js';
import { AlertRow } from './AlertsView.js';
import { joinCells, Row, type Seg } from './Row.js';
import { sparkline } from './sparkline.js';

const LEVEL_COLOR: Record<string, string> = { normal: 'green', warn: 'yellow', halt: 'red', flatten: 'magenta' };

function heartbeatCell(s: ShardState, w: number): Seg {
  if (!s.heartbeat) return { text: cell('none', w), color: 'red', bold: true };
  if (s.heartbeat.lost) return { text: cell(`LOST ${age(s.heartbeat.age_seconds)}`, w), color: 'red', bold: true };
  return { text: cell(`${age(s.heartbeat.age_seconds)} ago`, w), color: 'green' };
}

function flagSegs(state: MonitorState): Seg[][] {
  const f = state.flags;
  const halt: Seg =
    state.haltLevel === 'none'
      ? { text: 'global halt none', color: 'green' }
      : { text: `global halt ${state.haltLevel.toUpperCase()}`, color: 'red', bold: true };
  const pairs = f.haltedPairs.map((p) => `${p}(${f.hardPairs.includes(p) ? 'hard' : 'soft'})`).join(',') || '-';
  const flat = f.flattenPairs.map((p) => `${p}(${f.gracefulPairs.includes(p) ? 'graceful' : 'now'})`).join(',') || '-';
  const canary = state.canary.map((c) => `${c.scope}×${f.canaryScale} to ${c.until.slice(0, 10)}`).join(',') || '-';
  const lines: Seg[][] = [
    [
      { text: 'flags  ' },
      halt,
      { text: '  leverage ' },
      { text: `×${f.leverageScale}`, ...(f.leverageScale < 1 ? { color: 'yellow' } : {}) },
      { text: `  canary ${canary}`, ...(state.canary.length > 0 ? { color: 'yellow' } : {}) },
    ],
    [
      { text: '       halted pairs ' },
      { text: pairs, ...(f.haltedPairs.length > 0 ? { color: 'red' } : {}) },
      { text: '  flatten ' },
      { text: flat, ...(f.flattenPairs.length > 0 ? { color: 'red' } : {}) },
    ],
  ];
  for (const p of state.flagProblems) lines.push([{ text: `       unreadable flag: ${p}`, color: 'red' }]);
  return lines;
}

export function PortfolioView(props: {
  state: MonitorState;
  history: MonitorHistory;
  settings: MonitorSettings;
  width: number;
  height: number;
  dim: boolean;
}) {
  const { state, history, settings, width, height, dim } = props;
  const t = settings.dd;
  const W = { shard: 5, hb: 9, level: 7, dd: 6, equity: 11 };
  const fixedWidth = W.shard + W.hb + W.level + W.dd + W.equity + 6;
  // The trend takes what is left beyond a short pairs column; wider terminals get longer sparklines.
  const spark = Math.max(6, Math.min(60, width - fixedWidth - 16));
  const pairsWidth = Math.max(4, width - fixedWidth - spark);
  const lines: Seg[][] = [
    ...flagSegs(state),
    [
      {
        text: `DD     warn ${percent(t.warn)}  halt ${percent(t.halt)}  flatten ${percent(t.flatten)} (portfolio, of peak)`,
      },
    ],
    joinCells(
      [
        cell('SHARD', W.shard),
        cell('HEARTBEAT', W.hb),
        cell('DD', W.level),
        cell('DRAWDN', W.dd, true),
        cell('EQUITY', W.equity, true),
        cell('TREND', spark),
        cell('PAIRS', pairsWidth),
      ].map((text) => ({ text, bold: true })),
    ),
  ];
  for (const s of state.shards) {
    const level = s.dd?.level;
    lines.push(
      joinCells([
        { text: cell(String(s.shard), W.shard) },
        heartbeatCell(s, W.hb),
        level
          ? { text: cell(level, W.level), color: LEVEL_COLOR[level] ?? 'red', bold: level !== 'normal' }
          : { text: cell('-', W.level) },
        {
          text: cell(percent(s.dd?.drawdown), W.dd, true),
          ...(s.ddBand && s.ddBand !== 'normal' ? { color: LEVEL_COLOR[s.ddBand]! } : {}),
        },
        { text: cell(money(s.equity), W.equity, true) },
        { text: sparkline(history.equityOf(s.shard), spark), color: 'cyan' },
        { text: cell(`${s.pairs.length} ${s.pairs.join(',')}`, pairsWidth) },
      ]),
    );
  }
  if (state.shards.length === 0) lines.push([{ text: 'no shard in universe.yaml and none reporting' }]);
  // Recent alerts under the shards, as many as fit.
  const room = height - lines.length - 1;
  if (room >= 1 && state.alerts.length > 0) {
    lines.push([{ text: 'recent alerts', bold: true }]);
    const alertLines = state.alerts.slice(0, room);
    return (
      <Box flexDirection="column">
        {lines.slice(0, height).map((segs, i) => (
          <Row key={i} segs={segs} dim={dim} />
        ))}
        {alertLines.map((a, i) => (
          <AlertRow key={`a${i}`} alert={a} width={width} dim={dim} />
        ))}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {lines.slice(0, height).map((segs, i) => (
        <Row key={i} segs={segs} dim={dim} />
      ))}
    </Box>
  );
}
