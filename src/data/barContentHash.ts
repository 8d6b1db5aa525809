// data_hash of derived outputs: a hash of the bar content a run used, not of its ids and counts.
import { createHash } from 'node:crypto';
import type { AlignedPair } from '../model/bar.js';

function update(h: ReturnType<typeof createHash>, a: Float64Array | Uint8Array): void {
  h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
}

/** sha256/16 over each pair's id, bar times, both legs' OHLC and quality flags, in the order given. */
export function barContentHash(pairs: readonly AlignedPair[]): string {
  const h = createHash('sha256');
  for (const p of pairs) {
    h.update(p.pairId);
    update(h, p.ts);
    for (const leg of [p.a, p.b]) {
      update(h, leg.open);
      update(h, leg.high);
      update(h, leg.low);
      update(h, leg.close);
      update(h, leg.quality);
    }
  }
  return h.digest('hex').slice(0, 16);
}
