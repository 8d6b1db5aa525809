// pt paper's and pt parity's flags: follow or history, the clock, a replay's paths by default, one-line usage errors.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePaperOptions } from '../../../src/cli/options/parsePaperOptions.js';
import { parseParityOptions } from '../../../src/cli/options/parseParityOptions.js';
import { config } from '../../decision/config.js';

// The command table's defaults, as commander sets them before a parser runs.
const paper = (raw: Record<string, unknown>) =>
  parsePaperOptions({ dataDir: 'data', shard: '0', pollMs: '1000', ...raw }, config);
const parity = (raw: Record<string, unknown>) =>
  parseParityOptions({ dataDir: 'data', shard: '0', live: true, ...raw }, config);

describe('pt paper options', () => {
  it("follows signal.json at the wall clock by default, on a replay's paths, never production's", () => {
    const o = paper({});
    expect(o).toMatchObject({ shard: 0, mode: 'follow', clock: 'wall', closeAtEnd: false, pollMs: 1000 });
    expect(o.paths).toEqual({
      signalDir: resolve('data/replay/signals'),
      accountPath: resolve('data/replay/account.json'),
      paperDir: resolve('data/replay/signals/paper/shard_0'),
    });
  });

  it('plays the history at the bar clock with --history or a range; --clock and --account are taken as given', () => {
    expect(paper({ history: true })).toMatchObject({ mode: 'history', clock: 'bar' });
    const o = paper({
      shard: '2',
      from: '2024-01-01',
      to: '2024-02-01',
      closeAtEnd: true,
      signalDir: 's',
      clock: 'wall',
    });
    expect(o).toMatchObject({
      shard: 2,
      mode: 'history',
      clock: 'wall',
      closeAtEnd: true,
      fromMs: Date.UTC(2024, 0, 1),
    });
    // A history run's files stay apart from a follow run's, its account.json beside them.
    expect(o.paths.paperDir).toBe(join(resolve('s'), 'paper', 'shard_2', 'history'));
    expect(paper({ history: true }).paths.accountPath).toBe(
      resolve('data/replay/signals/paper/shard_0/history/account.json'),
    );
    expect(paper({ account: 'a.json', clock: 'bar' })).toMatchObject({
      mode: 'follow',
      clock: 'bar',
      paths: { accountPath: resolve('a.json') },
    });
  });

  it.each([
    [{ shard: 'x' }, /--shard x/],
    [{ closeAtEnd: true }, /--close-at-end plays the history/],
    [{ clock: 'broker' }, /--clock must be bar or wall/],
    [{ pollMs: '0' }, /--poll-ms/],
  ])('%o is a usage error', (raw, message) => {
    expect(() => paper(raw)).toThrow(message);
  });
});

describe('pt parity options', () => {
  it('runs pt live into <out>/signals by default; --no-live needs the replay to compare', () => {
    expect(parity({})).toMatchObject({
      shard: 0,
      live: true,
      outDir: resolve('data/replay/parity/shard_0'),
      signalDir: resolve('data/replay/parity/shard_0/signals'),
    });
    expect(parity({ live: false, signalDir: 'sig', theta1: '0.1' })).toMatchObject({
      live: false,
      signalDir: resolve('sig'),
      theta1: 0.1,
    });
    expect(() => parity({ live: false })).toThrow(/--no-live compares an existing replay/);
    expect(() => parity({ signalDir: 'sig' })).toThrow(
      /--signal-dir names a replay to compare: give it with --no-live/,
    );
  });
});
