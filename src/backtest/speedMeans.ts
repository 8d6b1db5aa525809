// mean |delta_z| over the K bars ending at each bar (SPEC §3.1 speed exclusion), as one column.

/** NaN until K rows exist, as in the AI1 labels (a NaN delta_z inside the window makes it NaN too). */
export function speedMeans(deltaZ: Float64Array, lookbackBars: number): Float64Array {
  const n = deltaZ.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let t = lookbackBars - 1; t < n; t++) {
    let sum = 0;
    for (let i = t - lookbackBars + 1; i <= t; i++) sum += Math.abs(deltaZ[i]!);
    out[t] = sum / lookbackBars;
  }
  return out;
}
