// The signal_ids acted on, bounded like the EA's ring (PtSeenSet): the newest SEEN_CAP are kept.

/** ~170 days of a 10-pair 1h shard; an id older than that is also older than any new seq. */
export const SEEN_CAP = 4096;

export class SeenIds {
  private readonly order: string[] = [];
  private readonly set = new Set<string>();

  has(id: string): boolean {
    return this.set.has(id);
  }

  /** Remembers `id` (the caller checks `has` first), forgetting the oldest beyond SEEN_CAP. */
  add(id: string): void {
    this.order.push(id);
    this.set.add(id);
    if (this.order.length > SEEN_CAP) this.set.delete(this.order.shift()!);
  }

  /** Oldest first, as the state keeps them. */
  list(): string[] {
    return [...this.order];
  }
}
