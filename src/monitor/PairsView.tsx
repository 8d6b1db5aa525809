// The pairs view: per pair z (and its trend), return_prob, risk_score, position, last signal and its age, stale, reconcile.
import { Box } from 'ink';
import type { MonitorHistory } from './monitorHistory.js';
import { age, cell, fixed, positionName, shortTime } from './monitorFormat.js';
import type { PairState } from './monitorState.js';
import { filterPairs, sortPairs, type PairSort } from './pairSort.js';
import { joinCells, Row, type Seg } from './Row.js';
import { sparkline } from './sparkline.js';

/** From this width on, the extra columns (shard, β, ρ, bar, seq, halt) show. */
export const WIDE_COLUMNS = 128;

interface Column {
  title: string;
  width: number;
  right?: boolean;
  wide?: boolean;
  seg: (p: PairState, width: number) => Seg;
}

const plain = (text: string): Seg => ({ text });

const COLUMNS: Column[] = [
  { title: 'PAIR', width: 13, seg: (p) => plain(p.pairId) },
  { title: 'SH', width: 2, right: true, wide: true, seg: (p) => plain(p.shard === undefined ? '-' : String(p.shard)) },
  {
    title: 'Z',
    width: 6,
    right: true,
    seg: (p) => ({ text: fixed(p.z, 2), ...(p.z !== undefined && Math.abs(p.z) >= 2 ? { color: 'yellow' } : {}) }),
  },
  // The sparkline column: its width is what the others leave (see below).
  { title: 'Z TREND', width: 0, seg: () => plain('') },
  { title: 'PROB', width: 5, right: true, seg: (p) => plain(fixed(p.returnProb, 2)) },
  {
    title: 'RISK',
    width: 5,
    right: true,
    seg: (p) => ({
      text: fixed(p.riskScore, 2),
      ...(p.riskScore !== undefined && p.riskScore >= 0.5 ? { color: 'yellow' } : {}),
    }),
  },
  { title: 'BETA', width: 6, right: true, wide: true, seg: (p) => plain(fixed(p.beta, 3)) },
  { title: 'RHO', width: 5, right: true, wide: true, seg: (p) => plain(fixed(p.rho, 2)) },
  {
    title: 'POS',
    width: 5,
    seg: (p) => ({
      text: positionName(p.position),
      ...(p.position === 'LONG_SPREAD'
        ? { color: 'green' }
        : p.position === 'SHORT_SPREAD'
          ? { color: 'magenta' }
          : {}),
    }),
  },
  {
    title: 'SIGNAL',
    width: 7,
    seg: (p) => ({
      text: p.signalAction ?? '-',
      ...(p.signalAction && p.signalAction !== 'hold' ? { bold: true } : {}),
    }),
  },
  { title: 'AGE', width: 4, right: true, seg: (p) => plain(age(p.signalAgeSeconds)) },
  {
    title: 'STALE',
    width: 5,
    seg: (p) =>
      p.stale ? { text: 'STALE', color: 'red', bold: true } : p.reported ? { text: 'no', color: 'green' } : plain('-'),
  },
  {
    title: 'RECONCILE',
    width: 9,
    seg: (p) =>
      p.reconcile === 'mismatch'
        ? { text: 'MISMATCH', color: 'red', bold: true }
        : p.reconcile === 'ok'
          ? { text: 'ok', color: 'green' }
          : plain(p.reconcile === 'no_account' ? 'no acct' : (p.reconcile ?? '-')),
  },
  {
    title: 'HALT',
    width: 5,
    wide: true,
    seg: (p) => (p.halt ? { text: p.halt === 'flatten' ? 'flat' : p.halt, color: 'red', bold: true } : plain('-')),
  },
  { title: 'BAR (UTC)', width: 11, wide: true, seg: (p) => plain(shortTime(p.barTs)) },
  { title: 'SEQ', width: 16, right: true, wide: true, seg: (p) => plain(p.seq === undefined ? '-' : String(p.seq)) },
];

export function PairsView(props: {
  pairs: readonly PairState[];
  history: MonitorHistory;
  sort: PairSort;
  filter: string;
  width: number;
  height: number;
  dim: boolean;
}) {
  const { history, width, height, dim } = props;
  const cols = COLUMNS.filter((c) => !c.wide || width >= WIDE_COLUMNS);
  const used = cols.reduce((n, c) => n + c.width, 0) + cols.length - 1;
  const spark = Math.max(4, Math.min(40, width - used));
  const widthOf = (c: Column) => (c.width === 0 ? spark : c.width);
  const rows = sortPairs(filterPairs(props.pairs, props.filter), props.sort);
  const header = joinCells(cols.map((c) => ({ text: cell(c.title, widthOf(c), c.right), bold: true })));
  const room = Math.max(0, height - 1);
  const more = rows.length > room ? rows.length - (room - 1) : 0;
  const shown = more > 0 ? rows.slice(0, Math.max(0, room - 1)) : rows;
  return (
    <Box flexDirection="column">
      <Row segs={header} dim={dim} />
      {shown.map((p) => (
        <Row
          key={p.pairId}
          dim={dim}
          segs={joinCells(
            cols.map((c) => {
              if (c.width === 0) return { text: sparkline(history.zOf(p.pairId), spark), color: 'cyan' };
              const s = c.seg(p, c.width);
              return { ...s, text: cell(s.text, c.width, c.right) };
            }),
          )}
        />
      ))}
      {rows.length === 0 ? (
        <Row segs={[{ text: props.filter ? `no pair matches "${props.filter}"` : 'no pairs' }]} dim={dim} />
      ) : null}
      {more > 0 ? <Row segs={[{ text: `… ${more} more (/ filters)` }]} dim={dim} /> : null}
    </Box>
  );
}
