// A symbol's stored 1h bars and watermark, read through a store opened for the purpose.
import { openBarStore } from '../../src/adapters/duckdb/index.js';

export async function storedBars(dataDir: string, symbol: string) {
  const store = await openBarStore(dataDir);
  try {
    return { bars: await store.readBars(symbol, '1h'), wm: await store.readWatermark(symbol, '1h') };
  } finally {
    await store.close();
  }
}
