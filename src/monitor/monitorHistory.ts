// The series behind pt monitor's sparklines: each shard's equity per refresh, each pair's z per new bar.
import type { MonitorState } from './monitorState.js';

/** A fixed-size ring: the newest `capacity` values, oldest first. */
export class RingBuffer {
  private readonly items: number[] = [];

  constructor(readonly capacity: number) {}

  push(v: number): void {
    this.items.push(v);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  values(): readonly number[] {
    return this.items;
  }
}

export class MonitorHistory {
  private readonly equity = new Map<number, RingBuffer>();
  private readonly z = new Map<string, { barTs: string; ring: RingBuffer }>();

  /** 120 samples: wider than the widest sparkline a terminal gives. */
  constructor(private readonly capacity = 120) {}

  /** Equity once per refresh (the shard's heartbeat carries account.json's); z once per bar of the pair. */
  record(state: MonitorState): void {
    for (const s of state.shards) {
      if (s.equity === undefined) continue;
      let ring = this.equity.get(s.shard);
      if (!ring) this.equity.set(s.shard, (ring = new RingBuffer(this.capacity)));
      ring.push(s.equity);
    }
    for (const p of state.pairs) {
      if (p.z === undefined || p.barTs === undefined) continue;
      const h = this.z.get(p.pairId);
      if (!h) this.z.set(p.pairId, { barTs: p.barTs, ring: ringOf(this.capacity, p.z) });
      else if (h.barTs !== p.barTs) {
        h.barTs = p.barTs;
        h.ring.push(p.z);
      }
    }
  }

  equityOf(shard: number): readonly number[] {
    return this.equity.get(shard)?.values() ?? [];
  }

  zOf(pairId: string): readonly number[] {
    return this.z.get(pairId)?.ring.values() ?? [];
  }
}

function ringOf(capacity: number, first: number): RingBuffer {
  const r = new RingBuffer(capacity);
  r.push(first);
  return r;
}
