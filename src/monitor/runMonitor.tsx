// Runs pt monitor in the terminal until q or Ctrl-C: Ink restores the terminal (raw mode, cursor) on exit.
import { render } from 'ink';
import { monitorActions, type MonitorActionsOptions } from './monitorActions.js';
import { MonitorApp } from './MonitorApp.js';
import { MonitorSource, type MonitorSourceOptions } from './monitorSource.js';

export interface RunMonitorOptions extends MonitorSourceOptions {
  actions: Omit<MonitorActionsOptions, 'withControl'>;
}

export async function runMonitor(o: RunMonitorOptions): Promise<void> {
  const source = new MonitorSource(o);
  const actions = monitorActions({ ...o.actions, withControl: (fn) => source.withControl(fn) });
  const app = render(
    <MonitorApp poll={() => source.poll()} actions={actions} settings={o.settings} label={o.label} kind={o.kind} />,
    { exitOnCtrlC: true },
  );
  try {
    await app.waitUntilExit();
  } finally {
    app.cleanup();
    await source.close();
  }
}
