// pt monitor's flags: which bus, refresh and shard, and the refusals.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMonitorOptions } from '../../../src/cli/options/parseMonitorOptions.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { repoRoot } from '../../helpers/runPt.js';

const config = loadConfig(join(repoRoot, 'config'));
const env = { REDIS_URL: 'redis://:s3cret@10.0.0.5:6379/0' };

describe('parseMonitorOptions', () => {
  it('reads Redis when REDIS_URL is set, the files when --ops-dir or --replay is given alone', () => {
    expect(parseMonitorOptions({}, config, env)).toMatchObject({ bus: 'redis', redisUrl: env.REDIS_URL });
    expect(parseMonitorOptions({ opsDir: 'ops' }, config, env)).toMatchObject({ bus: 'files', opsDir: resolve('ops') });
    expect(parseMonitorOptions({ replay: true }, config, env)).toMatchObject({
      bus: 'files',
      opsDir: resolve('data', 'replay', 'ops'),
    });
    expect(parseMonitorOptions({ bus: 'files' }, config, env)).toMatchObject({ bus: 'files' });
  });

  it('--redis names the server (over REDIS_URL) but refuses a password on the command line', () => {
    expect(parseMonitorOptions({ redis: 'redis://127.0.0.1:6380/1' }, config, env)).toMatchObject({
      bus: 'redis',
      redisUrl: 'redis://127.0.0.1:6380/1',
    });
    expect(() => parseMonitorOptions({ redis: 'redis://:pw@h:1' }, config, {})).toThrow(/goes in REDIS_URL/);
    expect(() => parseMonitorOptions({ redis: 'http://h:1' }, config, {})).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => parseMonitorOptions({ redis: 'redis://h:1', replay: true }, config, {})).toThrow(
      /leave out --ops-dir, --replay and --bus files/,
    );
  });

  it('--refresh is 0.5 to 3600 seconds; --shard a shard of universe.yaml', () => {
    expect(parseMonitorOptions({ refresh: '0.5', shard: '0' }, config, {})).toMatchObject({
      refreshSeconds: 0.5,
      shard: 0,
    });
    expect(parseMonitorOptions({ refresh: '3600' }, config, {})).toMatchObject({ refreshSeconds: 3600 });
    // 1e9 s is past Node's timer limit (2^31-1 ms): the timer would fire at once, over and over.
    for (const bad of ['0', '0.4', '3601', '1e9', '-1', 'NaN', 'Infinity', '', 'fast']) {
      const error = (() => {
        try {
          parseMonitorOptions({ refresh: bad }, config, {});
        } catch (e) {
          return e as { id?: string; message: string };
        }
        return undefined;
      })();
      expect(error, bad).toMatchObject({ id: 'CORE_CLI_USAGE' });
      expect(error!.message).toBe(`--refresh ${bad}: give seconds from 0.5 to 3600 (e.g. --refresh 1)`);
    }
    expect(() => parseMonitorOptions({ shard: '-1' }, config, {})).toThrow(/give a shard number/);
    expect(() => parseMonitorOptions({ shard: '99' }, config, {})).toThrow(/no pair of universe.yaml is on that shard/);
  });
});
