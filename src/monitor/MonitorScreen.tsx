// The whole screen for one state of the monitor: title, banner, tabs, the view, the outcome and key lines.
import { Box } from 'ink';
import { AlertsView } from './AlertsView.js';
import type { ActionOutcome } from './monitorActions.js';
import { clock } from './monitorFormat.js';
import type { MonitorSettings, MonitorView } from './monitorSettings.js';
import type { MonitorFeed } from './monitorSource.js';
import { PairsView } from './PairsView.js';
import type { PairSort } from './pairSort.js';
import { PortfolioView } from './PortfolioView.js';
import { Row, type Seg } from './Row.js';

/** What the user is typing: a filter, or the confirmation word of a halt or resume. */
export type MonitorPrompt = { kind: 'filter' | 'halt' | 'resume'; text: string };

/** The words to type (exactly, then Enter) before the monitor halts or resumes. */
export const CONFIRM_WORD = { halt: 'HALT', resume: 'RESUME' } as const;

export interface MonitorScreenProps {
  feed: MonitorFeed;
  settings: MonitorSettings;
  /** The bus as the banner names it (a Redis URL is redacted). */
  label: string;
  kind: 'redis' | 'files';
  view: MonitorView;
  sort: PairSort;
  filter: string;
  prompt?: MonitorPrompt;
  outcome?: ActionOutcome;
  /** An action under way ("halting …"). */
  busy?: string;
  columns: number;
  rows: number;
  nowMs: number;
}

const TABS: Array<[MonitorView, string]> = [
  ['portfolio', '1 Portfolio'],
  ['pairs', '2 Pairs'],
  ['alerts', '3 Alerts'],
];

/** `text` in lines of at most `width` characters, at most `max` lines. */
function chunks(text: string, width: number, max: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length && out.length < max; i += width) out.push(chars.slice(i, i + width).join(''));
  return out;
}

function keyLine(p: MonitorScreenProps): Seg[] {
  if (p.busy) return [{ text: p.busy, color: 'yellow' }];
  if (p.prompt?.kind === 'filter')
    return [{ text: `filter: ${p.prompt.text}`, color: 'cyan' }, { text: '▏  Enter keeps it, Esc clears' }];
  if (p.prompt) {
    const word = CONFIRM_WORD[p.prompt.kind];
    const what = p.prompt.kind === 'halt' ? 'halt the portfolio (soft)' : 'resume the portfolio';
    return [
      { text: `${what}: type ${word}, Enter (Esc cancels): `, color: 'yellow', bold: true },
      { text: `${p.prompt.text}▏` },
    ];
  }
  return [{ text: '1/2/3 tab view  s sort  / filter  h halt  r resume  q quit' }];
}

export function MonitorScreen(p: MonitorScreenProps) {
  const width = Math.max(20, p.columns);
  const { state, down, history } = p.feed;
  const dim = down !== undefined;
  const refresh = p.settings.refreshSeconds[p.view];
  const title: Seg[] = [
    { text: 'pt monitor', bold: true },
    { text: `  ${p.kind === 'redis' ? 'Redis' : 'files'} ${p.label}` },
    { text: `  ${clock(p.nowMs)} UTC  every ${refresh}s` },
    ...(p.settings.shard !== undefined ? [{ text: `  shard ${p.settings.shard}` }] : []),
  ];
  const tabs: Seg[] = TABS.flatMap(([v, name]) => [
    v === p.view ? { text: `[${name}]`, bold: true, color: 'cyan' } : { text: ` ${name} ` },
    { text: ' ' },
  ]);
  if (p.view === 'pairs') tabs.push({ text: ` sort ${p.sort}` });
  if (p.filter) tabs.push({ text: `  filter "${p.filter}"`, color: 'cyan' });
  const banner: Seg[] | undefined = down
    ? [
        {
          text:
            `${p.kind === 'redis' ? 'Redis unreachable' : 'ops files unreadable'} at ${p.label} — ` +
            (down.lastGoodAtMs !== undefined ? `showing data from ${clock(down.lastGoodAtMs)}` : 'no data yet'),
          color: 'red',
          bold: true,
        },
      ]
    : undefined;
  const outcome = p.outcome ? chunks(p.outcome.text, width, 3) : [];
  // One line fewer than the terminal: a frame as tall as the screen makes Ink clear it on every refresh.
  const body = Math.max(1, p.rows - 1 - 2 - (banner ? 1 : 0) - outcome.length - 1);
  return (
    <Box flexDirection="column" width={width}>
      <Row segs={title} />
      {banner ? <Row segs={banner} /> : null}
      <Row segs={tabs} />
      <Box flexDirection="column" height={body} overflow="hidden">
        {!state ? (
          <Row segs={[{ text: down ? 'waiting for the bus to answer…' : 'reading…' }]} />
        ) : p.view === 'portfolio' ? (
          <PortfolioView state={state} history={history} settings={p.settings} width={width} height={body} dim={dim} />
        ) : p.view === 'pairs' ? (
          <PairsView
            pairs={state.pairs}
            history={history}
            sort={p.sort}
            filter={p.filter}
            width={width}
            height={body}
            dim={dim}
          />
        ) : (
          <AlertsView alerts={state.alerts} filter={p.filter} width={width} height={body} dim={dim} />
        )}
      </Box>
      {outcome.map((line, i) => (
        <Row key={i} segs={[{ text: line, color: p.outcome!.ok ? 'green' : 'red' }]} />
      ))}
      <Row segs={keyLine(p)} />
    </Box>
  );
}
