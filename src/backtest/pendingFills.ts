// A small FIFO ring of decided-but-not-yet-filled orders of one pair (SPEC §7 latency_bars).

export const FILL_OPEN = 1;
export const FILL_CLOSE = 2;

/**
 * Orders fill in decision order at bar `at` (decision bar + latency). A pair has at most one
 * order per bar, so latency + 2 slots always suffice; preallocated so the hot loop never allocates.
 */
export class PendingFills {
  readonly at: Int32Array;
  readonly kind: Int8Array;
  readonly side: Int8Array;
  readonly lotsA: Float64Array;
  readonly lotsB: Float64Array;
  readonly z: Float64Array;
  readonly prob: Float64Array;
  readonly risk: Float64Array;
  readonly reason: string[];
  head = 0;
  size = 0;

  constructor(readonly capacity: number) {
    this.at = new Int32Array(capacity);
    this.kind = new Int8Array(capacity);
    this.side = new Int8Array(capacity);
    this.lotsA = new Float64Array(capacity);
    this.lotsB = new Float64Array(capacity);
    this.z = new Float64Array(capacity);
    this.prob = new Float64Array(capacity);
    this.risk = new Float64Array(capacity);
    this.reason = new Array<string>(capacity).fill('');
  }

  /** Slot index of a new order at the tail. */
  push(at: number, kind: number): number {
    if (this.size === this.capacity)
      throw new RangeError('PendingFills is full: more orders in flight than latency allows');
    const k = (this.head + this.size) % this.capacity;
    this.at[k] = at;
    this.kind[k] = kind;
    this.size++;
    return k;
  }

  /** Slot of the oldest order if it is due at or before bar `i`, else −1. */
  due(i: number): number {
    return this.size > 0 && this.at[this.head]! <= i ? this.head : -1;
  }

  shift(): void {
    this.head = (this.head + 1) % this.capacity;
    this.size--;
  }
}
