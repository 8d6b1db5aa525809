import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversionFromStore } from '../../../src/backtest/prepareBacktest.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { emptyColumns } from '../../../src/model/bar.js';
import type { BarStore } from '../../../src/ports/barStore.js';
import { PtError } from '../../../src/core/ptError.js';
import { repoRoot } from '../../helpers/runPt.js';

const config = loadConfig(join(repoRoot, 'config'));
const H = 3_600_000;

/** A store holding only USDCAD closes 1.25, 1.30, 1.40 at hours 0, 1, 2. */
const store = {
  async readBars(symbol: string) {
    const n = symbol === 'USDCAD' ? 3 : 0;
    const c = emptyColumns(symbol, '1h', n);
    [1.25, 1.3, 1.4].slice(0, n).forEach((v, i) => {
      c.ts[i] = i * H;
      c.close[i] = v;
    });
    return c;
  },
} as unknown as BarStore;

describe('USD conversion from the store', () => {
  it('uses the inverse of USDCAD at or before t for a CAD-quoted leg, 1 for USD legs, and fails before the series', async () => {
    const pair = config.universe.pairs.find((p) => p.pair_id === 'AUDUSD_USDCAD')!;
    const rate = await conversionFromStore(config, store, [pair], '1h');
    expect(rate('AUDUSD', 5 * H)).toBe(1);
    expect(rate('USDCAD', 0)).toBe(1 / 1.25);
    expect(rate('USDCAD', 1.5 * H)).toBe(1 / 1.3);
    expect(rate('USDCAD', 99 * H)).toBe(1 / 1.4);
    expect(() => rate('USDCAD', -1)).toThrowError(PtError);
  });

  it('a quote currency without a series is a clear error, never 1.0', async () => {
    const pair = config.universe.pairs.find((p) => p.pair_id === 'EURJPY_GBPJPY')!;
    const rate = await conversionFromStore(config, store, [pair], '1h');
    expect(() => rate('EURJPY', 0)).toThrowError(/EURJPY is quoted in JPY: ingest JPYUSD or USDJPY/);
  });
});
