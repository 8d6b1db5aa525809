// pt monitor's interactive shell: refreshes the feed, keeps the view, sort and filter, and runs halt/resume on a typed word.
import { useApp, useInput, useStdout, type Key } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActionOutcome, MonitorActions } from './monitorActions.js';
import { MonitorHistory } from './monitorHistory.js';
import type { MonitorSettings, MonitorView } from './monitorSettings.js';
import type { MonitorFeed } from './monitorSource.js';
import { CONFIRM_WORD, MonitorScreen, type MonitorPrompt } from './MonitorScreen.js';
import { nextSort, type PairSort } from './pairSort.js';

const VIEWS: MonitorView[] = ['portfolio', 'pairs', 'alerts'];

export interface MonitorAppProps {
  /** One refresh of the feed (MonitorSource.poll): never throws. */
  poll: () => Promise<MonitorFeed>;
  actions: MonitorActions;
  settings: MonitorSettings;
  label: string;
  kind: 'redis' | 'files';
  /** Fixed terminal size (tests); otherwise the terminal's, following resizes. */
  columns?: number;
  rows?: number;
  now?: () => number;
  initialView?: MonitorView;
  /** Told how the user left, just before the app exits: `q`, or Ctrl-C (an interrupt: exit 130). */
  onQuit?: (how: MonitorQuit) => void;
}

export type MonitorQuit = 'quit' | 'interrupt';

function useTerminalSize(fixed: { columns?: number; rows?: number }): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: fixed.columns ?? stdout.columns ?? 80, rows: fixed.rows ?? stdout.rows ?? 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed.columns, fixed.rows]);
  return size;
}

export function MonitorApp(props: MonitorAppProps) {
  const { exit } = useApp();
  const now = props.now ?? Date.now;
  const size = useTerminalSize(props);
  const [feed, setFeed] = useState<MonitorFeed>(() => ({ history: new MonitorHistory() }));
  const [nowMs, setNowMs] = useState(now());
  const [view, setView] = useState<MonitorView>(props.initialView ?? 'portfolio');
  const [sort, setSort] = useState<PairSort>('pair');
  const [filter, setFilterState] = useState('');
  const [prompt, setPromptState] = useState<MonitorPrompt | undefined>(undefined);
  const [outcome, setOutcome] = useState<ActionOutcome | undefined>(undefined);
  const [busy, setBusyState] = useState<string | undefined>(undefined);
  // Keys can arrive faster than React re-renders (typed fast, pasted): the input handler reads these
  // refs, which change at once, rather than the state of its last render.
  const promptRef = useRef<MonitorPrompt | undefined>(undefined);
  const filterRef = useRef('');
  const busyRef = useRef<string | undefined>(undefined);
  const setPrompt = (p: MonitorPrompt | undefined) => {
    promptRef.current = p;
    setPromptState(p);
  };
  const setFilter = (f: string) => {
    filterRef.current = f;
    setFilterState(f);
  };
  const setBusy = (b: string | undefined) => {
    busyRef.current = b;
    setBusyState(b);
  };
  const polling = useRef(false);
  const alive = useRef(true);

  // One read at a time; a refresh asked for meanwhile (after a halt) runs once the current one ends.
  const again = useRef(false);
  const refresh = useCallback(async () => {
    if (polling.current) {
      again.current = true;
      return;
    }
    polling.current = true;
    try {
      do {
        again.current = false;
        const f = await props.poll();
        if (!alive.current) return;
        setFeed({ ...f });
        setNowMs(now());
      } while (again.current);
    } finally {
      polling.current = false;
    }
  }, [props.poll]);

  // A refresh at once, then every refresh_intervals_seconds of the view shown (a view change restarts it).
  useEffect(() => {
    alive.current = true;
    void refresh();
    const timer = setInterval(() => void refresh(), props.settings.refreshSeconds[view] * 1000);
    return () => clearInterval(timer);
  }, [view, refresh, props.settings]);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const run = async (kind: 'halt' | 'resume') => {
    setBusy(kind === 'halt' ? 'halting the portfolio…' : 'resuming the portfolio (checking the guard)…');
    const result = await (kind === 'halt' ? props.actions.halt() : props.actions.resume());
    if (!alive.current) return;
    setBusy(undefined);
    setOutcome(result);
    await refresh();
  };

  const quit = (how: MonitorQuit) => {
    props.onQuit?.(how);
    exit();
  };

  const onKey = (input: string, key: Key) => {
    if (busyRef.current) return;
    const prompt = promptRef.current;
    const filter = filterRef.current;
    if (prompt) {
      if (key.escape) {
        if (prompt.kind === 'filter') setFilter('');
        setPrompt(undefined);
        return;
      }
      if (key.backspace || key.delete) {
        setPrompt({ ...prompt, text: [...prompt.text].slice(0, -1).join('') });
        return;
      }
      // Typed fast (or pasted), the word and its Enter arrive as one chunk: "HALT\r".
      const cut = input.search(/[\r\n]/);
      const typed = key.ctrl || key.meta ? '' : cut >= 0 ? input.slice(0, cut) : input;
      const text = prompt.text + typed;
      if (!key.return && cut < 0) {
        if (typed) setPrompt({ ...prompt, text });
        return;
      }
      setPrompt(undefined);
      if (prompt.kind === 'filter') setFilter(text.trim());
      else if (text.trim() === CONFIRM_WORD[prompt.kind]) void run(prompt.kind);
      else
        setOutcome({
          ok: false,
          text: `not ${CONFIRM_WORD[prompt.kind]}: nothing was ${prompt.kind === 'halt' ? 'halted' : 'resumed'}`,
        });
      return;
    }
    if (input === 'q') quit('quit');
    else if (input === '1' || input === '2' || input === '3') setView(VIEWS[Number(input) - 1]!);
    else if (key.tab) setView((v) => VIEWS[(VIEWS.indexOf(v) + (key.shift ? 2 : 1)) % VIEWS.length]!);
    else if (input === 's') setSort(nextSort);
    else if (input === '/') setPrompt({ kind: 'filter', text: filter });
    else if (input === 'h') {
      setOutcome(undefined);
      setPrompt({ kind: 'halt', text: '' });
    } else if (input === 'r') {
      setOutcome(undefined);
      setPrompt({ kind: 'resume', text: '' });
    } else if (key.escape) {
      setFilter('');
      setOutcome(undefined);
    }
  };
  // Keys typed faster than a render (or pasted) arrive as one chunk, "2/eur\r": one key at a time.
  useInput((input, key) => {
    // Ctrl-C leaves at once, also mid-prompt or during a halt (Ink's own handler is off: it would exit 0).
    if (key.ctrl && input === 'c') quit('interrupt');
    else if (input.length <= 1 || key.ctrl || key.meta) onKey(input, key);
    else
      for (const c of input)
        onKey(c, {
          ...key,
          return: c === '\r' || c === '\n',
          tab: c === '\t',
          escape: false,
          backspace: false,
          delete: false,
        });
  });

  return (
    <MonitorScreen
      feed={feed}
      settings={props.settings}
      label={props.label}
      kind={props.kind}
      view={view}
      sort={sort}
      filter={prompt?.kind === 'filter' ? prompt.text : filter}
      {...(prompt ? { prompt } : {})}
      {...(outcome ? { outcome } : {})}
      {...(busy ? { busy } : {})}
      columns={size.columns}
      rows={size.rows}
      nowMs={nowMs}
    />
  );
}
