// pt serve reads SERVICE_ENV as the model keys do: `production` or `PROD` is prod too, so no plain HTTP there.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeOptions } from '../../../src/cli/options/parseServeOptions.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { repoRoot } from '../../helpers/runPt.js';
import { parseArgv } from './parseArgv.js';

const config = loadConfig(join(repoRoot, 'config'));

describe('pt serve in production', () => {
  it.each(['prod', 'PROD', 'production', ' Production '])(
    'SERVICE_ENV=%s without TLS or a proxy is refused',
    async (v) => {
      const RAW = (await parseArgv(['serve'])).raw;
      const PROXY = (await parseArgv(['serve', '--behind-proxy'])).raw;
      expect(() => parseServeOptions(RAW, config, { SERVICE_ENV: v })).toThrow(
        expect.objectContaining({ id: 'UI_API_NOTLS' }),
      );
      expect(parseServeOptions(PROXY, config, { SERVICE_ENV: v }).behindProxy).toBe(true);
    },
  );

  it('other environments serve plain HTTP on loopback', async () => {
    const RAW = (await parseArgv(['serve'])).raw;
    expect(parseServeOptions(RAW, config, { SERVICE_ENV: 'staging' }).host).toBe('127.0.0.1');
  });
});
