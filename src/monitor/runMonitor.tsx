// Runs pt monitor in the terminal until q or Ctrl-C: Ink restores the terminal (raw mode, cursor) on exit.
// Ctrl-C reaches the app as a key (raw mode: no SIGINT), so the app says which of the two it was.
import { render } from 'ink';
import { monitorActions, type MonitorActionsOptions } from './monitorActions.js';
import { MonitorApp, type MonitorQuit } from './MonitorApp.js';
import { MonitorSource, type MonitorSourceOptions } from './monitorSource.js';

export interface RunMonitorOptions extends MonitorSourceOptions {
  actions: Omit<MonitorActionsOptions, 'withControl'>;
}

/** How the user left: `q` (quit) or Ctrl-C (interrupt). */
export async function runMonitor(o: RunMonitorOptions): Promise<MonitorQuit> {
  const source = new MonitorSource(o);
  const actions = monitorActions({ ...o.actions, withControl: (fn) => source.withControl(fn) });
  let how: MonitorQuit = 'quit';
  const app = render(
    <MonitorApp
      poll={() => source.poll()}
      actions={actions}
      settings={o.settings}
      label={o.label}
      kind={o.kind}
      onQuit={(h) => (how = h)}
    />,
    { exitOnCtrlC: false },
  );
  try {
    await app.waitUntilExit();
    return how;
  } finally {
    app.cleanup();
    await source.close();
  }
}
