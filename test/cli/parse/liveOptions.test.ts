// pt live's flags: the shard, the source, the replay's range, speed and what-if θ, one-line usage errors.
import { describe, expect, it } from 'vitest';
import { parseLiveOptions, parseSpeed } from '../../../src/cli/options/parseLiveOptions.js';
import { config } from '../../decision/config.js';

const parse = (raw: Record<string, unknown>) => parseLiveOptions({ dataDir: 'data', ...raw }, config);

describe('pt live options', () => {
  it('a replay with its range, speed and θ', () => {
    const o = parse({ shard: '0', replay: true, from: '2022-02-01', speed: '60x', theta1: '0.1' });
    expect(o).toMatchObject({ shard: 0, source: 'replay', fromMs: Date.UTC(2022, 1, 1), speed: 60, theta1: 0.1 });
    expect(parse({ shard: '3' }).source).toBe('provider');
    expect(parseSpeed(undefined)).toBe('max');
    expect(parseSpeed('realtime')).toBe('realtime');
    expect(parse({ shard: '1', watch: 'in', tz: 'EET' })).toMatchObject({ source: 'watch', tz: 'EET' });
  });

  it.each([
    [{ shard: '-1' }, /--shard -1/],
    [{ shard: '0', replay: true, watch: 'in' }, /--replay and --watch exclude each other/],
    [{ shard: '0', from: '2022-01-01' }, /need --replay/],
    [{ shard: '0', replay: true, speed: 'fast' }, /--speed fast/],
    [{ shard: '0', theta1: '0.5' }, /only with --replay/],
    [{ shard: '0', replay: true, theta2: '2' }, /--theta2 must be a number in \[0, 1\]/],
    [{ shard: '0', metricsPort: '70000' }, /--metrics-port 70000/],
    [{ shard: '0', replay: true, tz: 'EET' }, /--tz names the clock of --watch files/],
    [{ shard: '0', watch: 'in', tz: 'Mars/Olympus' }, /Mars\/Olympus/],
  ])('%o is a usage error', (raw, message) => {
    expect(() => parse(raw)).toThrow(message);
  });
});
