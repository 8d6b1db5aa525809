// Event samples on a group's union timeline, checked and mapped to bar indices.

/** Events with a start `t0` and an end `t1` (t1 ≥ t0), on the same time axis as the timeline. */
export interface EventSamples {
  t0: Float64Array;
  t1: Float64Array;
}

/** Bar index of each sample's t0 and t1: the last timeline bar at or before the time. */
export interface SampleBars {
  bar0: Int32Array;
  bar1: Int32Array;
}

/** Index of the last bar with timeline[i] ≤ t (−1 when t is before the first bar). */
export function barIndexAtOrBefore(timeline: Float64Array, t: number): number {
  let lo = 0;
  let hi = timeline.length; // first index with timeline[i] > t
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeline[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Throws a RangeError unless the timeline is non-empty, finite and strictly increasing. */
export function checkTimeline(timeline: Float64Array): void {
  if (timeline.length === 0) throw new RangeError('timeline is empty');
  for (let i = 0; i < timeline.length; i++) {
    if (!Number.isFinite(timeline[i]!)) throw new RangeError(`timeline value ${timeline[i]} at ${i} is not finite`);
    if (i > 0 && !(timeline[i]! > timeline[i - 1]!))
      throw new RangeError(`timeline is not strictly increasing at ${i}`);
  }
}

/**
 * Checks the samples against the timeline and maps them to bars. Each t0 must lie in
 * [timeline[0], timeline[last]] (a t0 between two bars belongs to the earlier one); t1 must be ≥ t0
 * (it may lie past the last bar). NaN or infinite times are rejected with a RangeError.
 */
export function sampleBars(samples: EventSamples, timeline: Float64Array): SampleBars {
  checkTimeline(timeline);
  const { t0, t1 } = samples;
  if (t0.length !== t1.length) throw new RangeError(`t0 has ${t0.length} samples, t1 has ${t1.length}`);
  const first = timeline[0]!;
  const last = timeline[timeline.length - 1]!;
  const bar0 = new Int32Array(t0.length);
  const bar1 = new Int32Array(t0.length);
  for (let i = 0; i < t0.length; i++) {
    const a = t0[i]!;
    const b = t1[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(b))
      throw new RangeError(`sample ${i} has a non-finite time (t0=${a}, t1=${b})`);
    if (a < first || a > last) throw new RangeError(`sample ${i} t0=${a} is outside the timeline [${first}, ${last}]`);
    if (b < a) throw new RangeError(`sample ${i} ends before it starts (t0=${a}, t1=${b})`);
    bar0[i] = barIndexAtOrBefore(timeline, a);
    bar1[i] = barIndexAtOrBefore(timeline, b);
  }
  return { bar0, bar1 };
}

/** The indices where `keep` is nonzero, ascending. */
export function indicesWhere(keep: Uint8Array): Uint32Array {
  let n = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) n++;
  const out = new Uint32Array(n);
  let j = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) out[j++] = i;
  return out;
}
