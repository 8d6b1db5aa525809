// A row of block characters for a series: its last `width` values scaled between their min and max.

const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * One character per value, right-aligned in `width` (older values dropped, missing ones blank): the
 * lowest value is ▁, the highest █, linearly between. A flat series sits in the middle (▄), a value
 * that is not finite is a space.
 */
export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0) return '';
  const tail = values.slice(-width);
  const finite = tail.filter((v) => Number.isFinite(v));
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const chars = tail.map((v) => {
    if (!Number.isFinite(v)) return ' ';
    if (hi === lo) return BLOCKS[3]!;
    const i = Math.round(((v - lo) / (hi - lo)) * (BLOCKS.length - 1));
    return BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, i))]!;
  });
  return ' '.repeat(width - chars.length) + chars.join('');
}
