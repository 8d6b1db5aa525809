// The interactive monitor over a real ops folder: views and keys, and halt/resume through the same library calls as pt ops.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileOpsControl } from '../../src/adapters/files/fileOpsControl.js';
import { MonitorApp, type MonitorQuit } from '../../src/monitor/MonitorApp.js';
import { monitorActions, type AppliedAction } from '../../src/monitor/monitorActions.js';
import { MonitorSource } from '../../src/monitor/monitorSource.js';
import { NOW, SETTINGS, writeOpsDir } from '../helpers/monitorFixtures.js';

/** What the monitor told its CLI it applied. */
const applied: AppliedAction[] = [];
/** How the user left, as the monitor told its CLI (Ctrl-C: exit 130). */
const quits: MonitorQuit[] = [];
let dir: string;
let opsDir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pt-monitor-app-'));
  opsDir = join(dir, 'ops');
  await writeOpsDir(opsDir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function start() {
  // No timed refresh during the test: a refresh comes at start, on a view change and after an action.
  const settings = { ...SETTINGS, refreshSeconds: { portfolio: 3600, pairs: 3600, alerts: 3600 } };
  const source = new MonitorSource({
    open: async () => new FileOpsControl(opsDir),
    label: opsDir,
    kind: 'files',
    settings,
    now: () => NOW,
  });
  applied.length = 0;
  quits.length = 0;
  const actions = monitorActions({
    withControl: (fn) => source.withControl(fn),
    onApplied: (a) => applied.push(a),
    auditPath: join(dir, 'audit.jsonl'),
    actor: 'pt-monitor:tester',
    resumePolicy: { stability_days: 3, corr_threshold: 0.65, canary_ratio: 0.2 },
    pairs: SETTINGS.pairs,
    now: () => NOW,
  });
  const app = render(
    <MonitorApp
      poll={() => source.poll()}
      actions={actions}
      settings={settings}
      label={opsDir}
      kind="files"
      columns={80}
      rows={24}
      now={() => NOW}
      onQuit={(how) => quits.push(how)}
    />,
  );
  const text = () => stripVTControlCharacters(app.lastFrame() ?? '');
  const see = (pattern: RegExp | string) =>
    vi.waitFor(
      () => (typeof pattern === 'string' ? expect(text()).toContain(pattern) : expect(text()).toMatch(pattern)),
      { timeout: 5000, interval: 20 },
    );
  /** One keypress, then a turn of the event loop for Ink to take it. */
  const press = async (input: string) => {
    app.stdin.write(input);
    await new Promise((r) => setTimeout(r, 30));
  };
  return { app, text, see, press, source };
}

describe('MonitorApp', () => {
  it('switches views with 1/2/3 and tab, sorts with s, filters with /', async () => {
    const { app, see, press, text, source } = start();
    await see(/^0 +4s ago +warn/m);
    await see(/^1 +LOST 10m/m);
    await press('2');
    await see('[2 Pairs]');
    await see(/EURUSD_GBPUSD +-2\.41 .*STALE MISMATCH/);
    await press('s');
    await see('sort |z|');
    expect(text().indexOf('EURUSD_GBPUSD')).toBeLessThan(text().indexOf('XAUUSD_XAGUSD'));
    await press('/');
    await press('x');
    await press('a');
    await see('filter: xa');
    await press('\r');
    await see('filter "xa"');
    expect(text()).not.toContain('EURUSD_GBPUSD');
    await press('\u001b');
    await vi.waitFor(() => expect(text()).toContain('EURUSD_GBPUSD'));
    await press('3');
    await see('[3 Alerts]');
    await see(/WARNING +DATA_DQ_GAP/);
    await press('\t');
    await see('[1 Portfolio]');
    // Typed faster than a render, keys arrive as one chunk: each still counts.
    await press('2/eur\r');
    await see('filter "eur"');
    await see('[2 Pairs]');
    expect(text()).not.toContain('XAUUSD_XAGUSD');
    app.unmount();
    await source.close();
  });

  it('h, then HALT and Enter: opsHalt on the folder (flags.json global_halt soft, audited); r, RESUME: the guard refuses, shown', async () => {
    const { app, see, press, text, source } = start();
    await see('global halt none');
    // A wrong word halts nothing.
    await press('h');
    await see('type HALT, Enter');
    await press('halt\r');
    await see('not HALT: nothing was halted');
    expect(JSON.parse(await readFile(join(opsDir, 'flags.json'), 'utf8')).global_halt).toBeUndefined();

    await press('h');
    await press('HAL');
    await press('T');
    await see(/type HALT, Enter \(Esc cancels\): HALT/);
    await press('\r');
    // The outcome line (wrapped at 80 columns): what is halted now, what was, the audit entry.
    await see(
      /halted \(soft\) portfolio: portfolio halt \(soft\), GBPUSD_USDCHF halt \(soft\) \(was:\s+GBPUSD_USDCHF halt \(soft\)\); audit entry [0-9a-f]{12}/,
    );
    await see('global halt SOFT');
    const flags = JSON.parse(await readFile(join(opsDir, 'flags.json'), 'utf8'));
    expect(flags.global_halt).toBe('soft');
    // pt live's DD mirror survives the write.
    expect(flags.dd_shard_0.level).toBe('warn');
    const audit = (await readFile(join(dir, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'ops.halt',
      scope: 'portfolio',
      level: 'soft',
      actor: 'pt-monitor:tester',
    });
    // Told once, with the audit entry it wrote (the CLI raises pt ops's INFO alert from it).
    expect(applied).toEqual([
      {
        action: 'halt',
        level: 'soft',
        reason: 'halt typed in pt monitor',
        actor: 'pt-monitor:tester',
        auditSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);

    // Shard 0 is at DD warn: the resume guard refuses, and nothing changes.
    await press('r');
    await see('type RESUME, Enter');
    await press('RESUME\r');
    await see(/OPS_RESUME_REFUSED: resume of portfolio refused: drawdown: shard 0 is at\s+warn/);
    expect(JSON.parse(await readFile(join(opsDir, 'flags.json'), 'utf8')).global_halt).toBe('soft');
    expect((await readFile(join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(1);
    expect(applied).toHaveLength(1);
    // Esc cancels a prompt.
    await press('h');
    await see('type HALT');
    await press('\u001b');
    await vi.waitFor(() => expect(text()).toContain('q quit'));
    app.unmount();
    await source.close();
  });

  it('q quits; Ctrl-C is an interrupt, also in the middle of a halt prompt (nothing halted)', async () => {
    const first = start();
    await first.see('global halt none');
    await first.press('q');
    expect(quits).toEqual(['quit']);
    // Gone: keys reach nothing any more.
    await first.press('2');
    expect(first.text()).not.toContain('[2 Pairs]');
    await first.source.close();

    const second = start();
    await second.see('global halt none');
    await second.press('h');
    await second.see('type HALT, Enter');
    await second.press('HALT');
    await second.press('\u0003');
    expect(quits).toEqual(['interrupt']);
    await second.press('\r');
    expect(JSON.parse(await readFile(join(opsDir, 'flags.json'), 'utf8')).global_halt).toBeUndefined();
    expect(applied).toEqual([]);
    await second.source.close();
  });
});
