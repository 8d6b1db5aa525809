// The k-way merge of several pairs' bar times into one timeline, shared by the backtest engine and
// pt live's replay: step k is at times[k] and the pairs with a bar there are who[start[k] .. start[k+1]),
// in input order; each pair's bars are visited in order, so a pair's j-th visit is its bar j.

export interface MergedTimeline {
  times: Float64Array;
  start: Int32Array;
  who: Int32Array;
}

/** `timelines`: each pair's bar open times, strictly ascending. */
export function mergeTimelines(timelines: readonly Float64Array[]): MergedTimeline {
  let total = 0;
  for (const ts of timelines) total += ts.length;
  const times = new Float64Array(total);
  const start = new Int32Array(total + 1);
  const who = new Int32Array(total);
  const m = timelines.length;
  const cursor = new Int32Array(m);
  let k = 0;
  let w = 0;
  for (;;) {
    let t = Number.POSITIVE_INFINITY;
    for (let j = 0; j < m; j++) {
      const ts = timelines[j]!;
      if (cursor[j]! < ts.length && ts[cursor[j]!]! < t) t = ts[cursor[j]!]!;
    }
    if (t === Number.POSITIVE_INFINITY) break;
    times[k] = t;
    start[k] = w;
    for (let j = 0; j < m; j++) {
      const ts = timelines[j]!;
      if (cursor[j]! < ts.length && ts[cursor[j]!] === t) {
        who[w++] = j;
        cursor[j]!++;
      }
    }
    k++;
  }
  start[k] = w;
  return { times: times.subarray(0, k), start: start.subarray(0, k + 1), who };
}
