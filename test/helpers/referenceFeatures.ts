/**
 * Independent batch reference for the SPEC §2 features.
 *
 * Every rolling statistic is recomputed from scratch at every bar with plain loops, so the code
 * can be checked line by line against SPEC §2. It is deliberately slow and simple. It is used by
 * tests only and shares no code with src/features/.
 *
 * INTERPRETATION CHOICES (where SPEC §2 leaves a detail open). The production engine should agree
 * with each of these or the difference should be written down:
 *
 *  1. "Defined" means finite. Any non-finite value (NaN, ±Infinity) counts as undefined. Output
 *     columns hold NaN wherever a value is undefined (±Infinity is written as NaN).
 *  2. A window "over N ending at t" is bars t-N+1..t. It is defined only when all N inputs are
 *     defined; there are no partial windows. A statistic over a series that starts late (var of
 *     rho, std of beta, median of atr, ...) therefore starts N-1 bars after that series starts.
 *     `ts` is used only for its length: windows count bars and run across gaps in time (SPEC §1.4).
 *  3. Bar 0 has no return: r_A[0] = r_B[0] = NaN, and likewise delta_z, abs_delta_S and ΔS at the
 *     first bar of z or S.
 *  4. beta_raw at t uses the W pairs (p_B, p_A) at bars t-W+1..t. OLS uses the normal equations on
 *     centred data (two-pass means). If Σ(x - x̄)² = 0 the slope is undefined (NaN).
 *  5. Huber switch, for each bar on its own window (no warm start from the previous bar):
 *     e = OLS residuals y - α - βx; mad = median(|e - median(e)|); std(e) has ddof = 1 (two-pass,
 *     around the mean of e). Switch iff mad > 0 and std(e)/(1.4826·mad) > 2.0 (strict).
 *     IRLS: start at the OLS (α, β). Before each weighted solve the residuals of the current
 *     (α, β) give scale = median(|e - median(e)|)/0.6745 and weights w = min(1, c/|e/scale|)
 *     (w = 1 where e = 0 exactly). The weighted solve is weighted least squares on weighted-centred
 *     data. After a solve, if |Δα| < tol AND |Δβ| < tol (absolute), stop; at most maxSolves
 *     (50) solves in all. The result is the β of the last solve. If scale becomes 0 (or non-finite)
 *     before a solve, or a weighted Σw(x - x̄w)² is 0, the iteration stops and the last fit's β is kept.
 *  6. Medians of an even-length window (180 is even) are the mean of the two middle order
 *     statistics. A median is taken by sorting a copy of the window.
 *  7. EMA(x, hl=h): a = 1 - 2^(-1/h); EMA(x, span=n): a = 2/(n+1). The output starts at the first
 *     bar where x is defined, with y = x there (so ema_gap_spread = 0 and z_ema = z on their first
 *     bars). After seeding the recursion is applied literally at every bar: an undefined input
 *     after the seed makes that bar and all later bars undefined (no skipping or holding).
 *  8. beta = EMA(beta_raw, hl=72) starts on the first bar of beta_raw (bar W-1 = 179).
 *  9. spread S_t = p_A,t - beta_t·p_B,t uses the SAME-bar beta (beta_t, not beta_{t-1}). So S
 *     starts at bar W-1.
 * 10. Wilder(n): the first output is at the bar of the n-th input counted from the first defined
 *     input and equals the simple mean of those n inputs (undefined if any of them is undefined);
 *     then y_t = y_{t-1} + (x_t - y_{t-1})/n, applied literally (undefined inputs propagate).
 * 11. atr_A/atr_B: raw (untransformed) OHLC of each leg. TR_0 = H_0 - L_0 at bar 0 (the first bar
 *     of the input), TR_t = max(H-L, |H-C_{t-1}|, |L-C_{t-1}|) afterwards. So atr starts at bar
 *     atrPeriod-1 (13).
 * 12. atr_spread: TR_t = |S_t - S_{t-1}| exists from the second bar of S (bar W = 180); there is
 *     no "H-L" analogue for the first bar of S. atr_spread starts at bar W + atrPeriod - 1 (193).
 * 13. vol_ratio_spread, atr_ratio_A/B: value at t divided by the median over the W values ending
 *     at t (t included). A median of exactly 0 gives NaN.
 * 14. z_raw = (S_t - mean(S, W)) / std(S, W), ddof = 1, two-pass. std = 0 exactly gives NaN
 *     (undefined), not 0 and not ±5. z = min(zClip, max(-zClip, z_raw)); clip of NaN is NaN.
 * 15. delta_z, abs_delta_z, slope_z, z_ema, dz_speed all use the CLIPPED z.
 * 16. half_life at t: OLS of ΔS_i = S_i - S_{i-1} on S_{i-1} for i = t-W+1..t (W pairs, needs
 *     S_{t-W}..S_t, so it starts at bar (W-1) + W = 2W-1 = 359). If b < 0 the
 *     value is ln2/(-b), otherwise the upper bound halfLifeBounds[1] (240); then it is clipped to
 *     halfLifeBounds. A zero variance of S_{i-1} makes b, and half_life, undefined (NaN).
 * 17. rho_rolling: Pearson correlation of r_A, r_B over the W bars ending at t (W returns, starts
 *     at bar W = 180). If either variance is 0 it is undefined (NaN).
 * 18. corr_stability = var(rho_rolling, W), ddof = 1 (starts at bar 2W-1 = 359).
 *     beta_stability = std(beta, W) (ddof = 1) / (|mean(beta, W)| + 1e-6) (starts at 2W-2 = 358).
 * 19. slope_spread, slope_z: OLS slope of the slopeWindow values ending at t on x = 0..m-1
 *     (x = m-1 at bar t), two-pass centred. slope_spread divides by std(S, W) (ddof = 1) at the
 *     same bar; it is defined only when both are, and std = 0 gives NaN.
 * 20. rsi_spread: gain = max(ΔS, 0), loss = max(-ΔS, 0), each smoothed by Wilder(atrPeriod = 14)
 *     from the first ΔS (so 14 ΔS values, the first output at bar W + 13 = 193). RSI =
 *     100 - 100/(1 + avgGain/avgLoss); if avgLoss = 0 exactly, RSI = 100 (also when avgGain = 0).
 *     The RSI period is taken from `atrPeriod` (both are 14 in SPEC).
 * 21. `valid[t]` = 1 iff every feature in REFERENCE_FEATURE_NAMES is defined at bar t (checked per
 *     bar, so a degenerate later bar can be 0 again). At the defaults the first valid bar is
 *     2(W-1) + (slopeWindow-1) = 377 (slope_z is the last to start; vol_ratio_spread starts at
 *     372, half_life/corr_stability/dz_speed at 359).
 * 22. priceTransform 'log' uses Math.log(close); 'raw' uses close as is. Inputs are not validated
 *     beyond equal lengths.
 */

export const REFERENCE_FEATURE_NAMES = [
  'p_A',
  'p_B',
  'r_A',
  'r_B',
  'beta_raw',
  'beta',
  'spread',
  'z_raw',
  'z',
  'z_ema',
  'delta_z',
  'atr_spread',
  'vol_ratio_spread',
  'half_life',
  'rho_rolling',
  'corr_stability',
  'beta_stability',
  'atr_A',
  'atr_B',
  'atr_ratio_A',
  'atr_ratio_B',
  'ema_gap_spread',
  'slope_spread',
  'rsi_spread',
  'abs_delta_S',
  'abs_delta_z',
  'slope_z',
  'dz_speed',
] as const;

export type ReferenceFeatureName = (typeof REFERENCE_FEATURE_NAMES)[number];

export interface ReferenceInput {
  ts: number[];
  openA: number[];
  highA: number[];
  lowA: number[];
  closeA: number[];
  openB: number[];
  highB: number[];
  lowB: number[];
  closeB: number[];
}

export interface HuberParams {
  madRatioSwitch: number;
  c: number;
  maxSolves: number;
  tolerance: number;
}

export interface ReferenceParams {
  priceTransform: 'log' | 'raw';
  W: number;
  betaHalfLife: number;
  zClip: number;
  zEmaHalfLife: number;
  atrPeriod: number;
  slopeWindow: number;
  emaFast: number;
  emaSlow: number;
  dzSpeedHalfLife: number;
  halfLifeBounds: [number, number];
  huber: HuberParams;
}

export const DEFAULT_REFERENCE_PARAMS: ReferenceParams = {
  priceTransform: 'log',
  W: 180,
  betaHalfLife: 72,
  zClip: 5,
  zEmaHalfLife: 12,
  atrPeriod: 14,
  slopeWindow: 20,
  emaFast: 12,
  emaSlow: 26,
  dzSpeedHalfLife: 6,
  halfLifeBounds: [1, 240],
  huber: { madRatioSwitch: 2.0, c: 1.345, maxSolves: 50, tolerance: 1e-10 },
};

// ---------------------------------------------------------------------------------------------
// Building blocks (exported for the self-tests).

const def = (x: number): boolean => Number.isFinite(x);

/** a = 1 - 2^(-1/h). */
export function alphaHalfLife(h: number): number {
  return 1 - Math.pow(2, -1 / h);
}
/** a = 2/(n+1). */
export function alphaSpan(n: number): number {
  return 2 / (n + 1);
}

/** EMA seeded with the first defined input, recursion applied literally afterwards. */
export function emaSeries(x: ArrayLike<number>, a: number): Float64Array {
  const n = x.length;
  const y = new Float64Array(n).fill(NaN);
  let f = 0;
  while (f < n && !def(x[f]!)) f++;
  if (f >= n) return y;
  y[f] = x[f]!;
  for (let t = f + 1; t < n; t++) y[t] = y[t - 1]! + a * (x[t]! - y[t - 1]!);
  return y;
}

/** Wilder smoothing of period p: mean of the first p inputs (from the first defined one), then recursion. */
export function wilderSeries(x: ArrayLike<number>, p: number): Float64Array {
  const n = x.length;
  const y = new Float64Array(n).fill(NaN);
  let f = 0;
  while (f < n && !def(x[f]!)) f++;
  const s = f + p - 1;
  if (s >= n) return y;
  let sum = 0;
  for (let i = f; i <= s; i++) sum += x[i]!;
  y[s] = sum / p;
  for (let t = s + 1; t < n; t++) y[t] = y[t - 1]! + (x[t]! - y[t - 1]!) / p;
  return y;
}

/** True iff bars t-n+1..t exist and are all defined. */
export function windowDefined(x: ArrayLike<number>, t: number, n: number): boolean {
  if (t - n + 1 < 0 || t >= x.length) return false;
  for (let i = t - n + 1; i <= t; i++) if (!def(x[i]!)) return false;
  return true;
}

export function windowMean(x: ArrayLike<number>, t: number, n: number): number {
  let s = 0;
  for (let i = t - n + 1; i <= t; i++) s += x[i]!;
  return s / n;
}

/** Sample variance (ddof = 1), two-pass. */
export function windowVar(x: ArrayLike<number>, t: number, n: number): number {
  const m = windowMean(x, t, n);
  let ss = 0;
  for (let i = t - n + 1; i <= t; i++) {
    const d = x[i]! - m;
    ss += d * d;
  }
  return ss / (n - 1);
}

/** Median of the first n entries of buf (buf is sorted in place). */
function medianInPlace(buf: Float64Array, n: number): number {
  const v = n === buf.length ? buf : buf.subarray(0, n);
  v.sort();
  const h = n >> 1;
  return n % 2 === 1 ? v[h]! : (v[h - 1]! + v[h]!) / 2;
}

/** Median of a plain list (copy, sort). */
export function median(xs: ArrayLike<number>): number {
  const buf = Float64Array.from(xs as ArrayLike<number>);
  return medianInPlace(buf, buf.length);
}

/** Median of the window ending at t, using scratch (length ≥ n). */
function windowMedian(x: ArrayLike<number>, t: number, n: number, scratch: Float64Array): number {
  for (let k = 0; k < n; k++) scratch[k] = x[t - n + 1 + k]!;
  return medianInPlace(scratch, n);
}

/** median(|e - median(e)|) of e[0..n-1], using scratch (length ≥ n); e is not modified. */
function madOf(e: Float64Array, n: number, scratch: Float64Array): number {
  for (let k = 0; k < n; k++) scratch[k] = e[k]!;
  const med = medianInPlace(scratch, n);
  for (let k = 0; k < n; k++) scratch[k] = Math.abs(e[k]! - med);
  return medianInPlace(scratch, n);
}

/** OLS slope of y on x (centred normal equations). NaN when Σ(x - x̄)² = 0. */
export function olsFit(x: ArrayLike<number>, y: ArrayLike<number>, n: number): { alpha: number; beta: number } {
  let mx = 0,
    my = 0;
  for (let k = 0; k < n; k++) {
    mx += x[k]!;
    my += y[k]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0,
    sxy = 0;
  for (let k = 0; k < n; k++) {
    const dx = x[k]! - mx;
    sxx += dx * dx;
    sxy += dx * (y[k]! - my);
  }
  if (sxx === 0) return { alpha: NaN, beta: NaN };
  const beta = sxy / sxx;
  return { alpha: my - beta * mx, beta };
}

/** OLS slope of the m values of y ending at t on x = 0..m-1. */
function slopeOnIndex(y: ArrayLike<number>, t: number, m: number): number {
  const mx = (m - 1) / 2;
  let my = 0;
  for (let k = 0; k < m; k++) my += y[t - m + 1 + k]!;
  my /= m;
  let sxx = 0,
    sxy = 0;
  for (let k = 0; k < m; k++) {
    const dx = k - mx;
    sxx += dx * dx;
    sxy += dx * (y[t - m + 1 + k]! - my);
  }
  return sxy / sxx;
}

export interface HuberScratch {
  e: Float64Array;
  w: Float64Array;
  s: Float64Array;
}
export function makeHuberScratch(n: number): HuberScratch {
  return { e: new Float64Array(n), w: new Float64Array(n), s: new Float64Array(n) };
}

/** Details of one beta_raw computation (for tests). */
export interface BetaRawDetail {
  ols: number;
  beta: number;
  switched: boolean;
  solves: number;
  ratio: number;
}

/**
 * beta_raw of one window: OLS slope of y on x, replaced by the Huber IRLS slope when the switch
 * condition holds. x, y are the window's values (length n).
 */
export function betaRawWindow(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  hp: HuberParams,
  sc: HuberScratch = makeHuberScratch(n),
): BetaRawDetail {
  const ols = olsFit(x, y, n);
  if (!def(ols.beta)) return { ols: NaN, beta: NaN, switched: false, solves: 0, ratio: NaN };
  const { e, w, s } = sc;
  let em = 0;
  for (let k = 0; k < n; k++) {
    e[k] = y[k]! - ols.alpha - ols.beta * x[k]!;
    em += e[k]!;
  }
  em /= n;
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const d = e[k]! - em;
    ss += d * d;
  }
  const sd = Math.sqrt(ss / (n - 1));
  const mad = madOf(e, n, s);
  const ratio = sd / (1.4826 * mad);
  if (!(mad > 0 && ratio > hp.madRatioSwitch))
    return { ols: ols.beta, beta: ols.beta, switched: false, solves: 0, ratio };

  let alpha = ols.alpha,
    beta = ols.beta;
  let solves = 0;
  while (solves < hp.maxSolves) {
    for (let k = 0; k < n; k++) e[k] = y[k]! - alpha - beta * x[k]!;
    const scale = madOf(e, n, s) / 0.6745;
    if (!(scale > 0) || !def(scale)) break;
    for (let k = 0; k < n; k++) {
      const ek = e[k]!;
      w[k] = ek === 0 ? 1 : Math.min(1, hp.c / Math.abs(ek / scale));
    }
    let sw = 0,
      mx = 0,
      my = 0;
    for (let k = 0; k < n; k++) {
      const wk = w[k]!;
      sw += wk;
      mx += wk * x[k]!;
      my += wk * y[k]!;
    }
    mx /= sw;
    my /= sw;
    let sxx = 0,
      sxy = 0;
    for (let k = 0; k < n; k++) {
      const wk = w[k]!;
      const dx = x[k]! - mx;
      sxx += wk * dx * dx;
      sxy += wk * dx * (y[k]! - my);
    }
    if (sxx === 0) break;
    const b2 = sxy / sxx;
    const a2 = my - b2 * mx;
    solves++;
    const done = Math.abs(a2 - alpha) < hp.tolerance && Math.abs(b2 - beta) < hp.tolerance;
    alpha = a2;
    beta = b2;
    if (done) break;
  }
  return { ols: ols.beta, beta, switched: true, solves, ratio };
}

// ---------------------------------------------------------------------------------------------

/** Columns by name (NaN where undefined) and a `valid` column (1 once every feature is defined). */
export function referenceFeatures(
  input: ReferenceInput,
  params: ReferenceParams = DEFAULT_REFERENCE_PARAMS,
): { columns: Record<string, number[]>; valid: number[] } {
  const N = input.closeA.length;
  for (const k of ['ts', 'openA', 'highA', 'lowA', 'closeA', 'openB', 'highB', 'lowB', 'closeB'] as const) {
    if (input[k].length !== N) throw new Error(`referenceFeatures: ${k} has length ${input[k].length}, expected ${N}`);
  }
  const { W, atrPeriod: P, slopeWindow: M } = params;
  const [hlLo, hlHi] = params.halfLifeBounds;
  const nan = (): Float64Array => new Float64Array(N).fill(NaN);
  const scratch = new Float64Array(Math.max(W, M, 2));

  // p, r
  const tf = params.priceTransform === 'log' ? Math.log : (v: number) => v;
  const pA = Float64Array.from(input.closeA, tf);
  const pB = Float64Array.from(input.closeB, tf);
  const rA = nan(),
    rB = nan();
  for (let t = 1; t < N; t++) {
    rA[t] = pA[t]! - pA[t - 1]!;
    rB[t] = pB[t]! - pB[t - 1]!;
  }

  // beta_raw (OLS / Huber) over W ending at t
  const betaRaw = nan();
  const xs = new Float64Array(W),
    ys = new Float64Array(W);
  const hs = makeHuberScratch(W);
  for (let t = W - 1; t < N; t++) {
    if (!windowDefined(pA, t, W) || !windowDefined(pB, t, W)) continue;
    for (let k = 0; k < W; k++) {
      xs[k] = pB[t - W + 1 + k]!;
      ys[k] = pA[t - W + 1 + k]!;
    }
    betaRaw[t] = betaRawWindow(xs, ys, W, params.huber, hs).beta;
  }

  // beta, spread
  const beta = emaSeries(betaRaw, alphaHalfLife(params.betaHalfLife));
  const S = nan();
  for (let t = 0; t < N; t++) S[t] = pA[t]! - beta[t]! * pB[t]!;

  // std(S, W) and z
  const sdS = nan(),
    zRaw = nan(),
    z = nan();
  for (let t = 0; t < N; t++) {
    if (!windowDefined(S, t, W)) continue;
    const m = windowMean(S, t, W);
    const sd = Math.sqrt(windowVar(S, t, W));
    sdS[t] = sd;
    if (sd === 0) continue;
    zRaw[t] = (S[t]! - m) / sd;
    z[t] = Math.min(params.zClip, Math.max(-params.zClip, zRaw[t]!));
  }
  const zEma = emaSeries(z, alphaHalfLife(params.zEmaHalfLife));
  const deltaZ = nan(),
    absDeltaZ = nan(),
    dS = nan(),
    absDeltaS = nan();
  for (let t = 1; t < N; t++) {
    deltaZ[t] = z[t]! - z[t - 1]!;
    absDeltaZ[t] = Math.abs(deltaZ[t]!);
    dS[t] = S[t]! - S[t - 1]!;
    absDeltaS[t] = Math.abs(dS[t]!);
  }
  const dzSpeed = emaSeries(absDeltaZ, alphaHalfLife(params.dzSpeedHalfLife));

  // atr_spread and its ratio to its rolling median
  const atrSpread = wilderSeries(absDeltaS, P);
  const ratioToMedian = (x: Float64Array): Float64Array => {
    const out = nan();
    for (let t = 0; t < N; t++) {
      if (!windowDefined(x, t, W)) continue;
      const med = windowMedian(x, t, W, scratch);
      if (med === 0) continue;
      out[t] = x[t]! / med;
    }
    return out;
  };
  const volRatioSpread = ratioToMedian(atrSpread);

  // half_life: OLS ΔS_i = a + b S_{i-1}, i = t-W+1..t
  const halfLife = nan();
  const lag = new Float64Array(W),
    dif = new Float64Array(W);
  for (let t = W; t < N; t++) {
    if (!windowDefined(S, t, W + 1)) continue;
    for (let k = 0; k < W; k++) {
      const i = t - W + 1 + k;
      lag[k] = S[i - 1]!;
      dif[k] = S[i]! - S[i - 1]!;
    }
    const b = olsFit(lag, dif, W).beta;
    if (!def(b)) continue;
    const h = b < 0 ? Math.LN2 / -b : hlHi;
    halfLife[t] = Math.min(hlHi, Math.max(hlLo, h));
  }

  // rho_rolling, corr_stability, beta_stability
  const rho = nan();
  for (let t = 0; t < N; t++) {
    if (!windowDefined(rA, t, W) || !windowDefined(rB, t, W)) continue;
    const ma = windowMean(rA, t, W),
      mb = windowMean(rB, t, W);
    let saa = 0,
      sbb = 0,
      sab = 0;
    for (let i = t - W + 1; i <= t; i++) {
      const da = rA[i]! - ma,
        db = rB[i]! - mb;
      saa += da * da;
      sbb += db * db;
      sab += da * db;
    }
    if (saa === 0 || sbb === 0) continue;
    rho[t] = sab / Math.sqrt(saa * sbb);
  }
  const corrStability = nan(),
    betaStability = nan();
  for (let t = 0; t < N; t++) {
    if (windowDefined(rho, t, W)) corrStability[t] = windowVar(rho, t, W);
    if (windowDefined(beta, t, W)) {
      betaStability[t] = Math.sqrt(windowVar(beta, t, W)) / (Math.abs(windowMean(beta, t, W)) + 1e-6);
    }
  }

  // leg ATRs (raw prices)
  const legAtr = (h: number[], l: number[], c: number[]): Float64Array => {
    const tr = nan();
    for (let t = 0; t < N; t++) {
      const hl = h[t]! - l[t]!;
      tr[t] = t === 0 ? hl : Math.max(hl, Math.abs(h[t]! - c[t - 1]!), Math.abs(l[t]! - c[t - 1]!));
    }
    return wilderSeries(tr, P);
  };
  const atrA = legAtr(input.highA, input.lowA, input.closeA);
  const atrB = legAtr(input.highB, input.lowB, input.closeB);
  const atrRatioA = ratioToMedian(atrA),
    atrRatioB = ratioToMedian(atrB);

  // ema gap, slopes, RSI
  const emaF = emaSeries(S, alphaSpan(params.emaFast)),
    emaS = emaSeries(S, alphaSpan(params.emaSlow));
  const emaGap = nan();
  for (let t = 0; t < N; t++) emaGap[t] = emaF[t]! - emaS[t]!;
  const slopeSpread = nan(),
    slopeZ = nan();
  for (let t = 0; t < N; t++) {
    if (windowDefined(S, t, M) && def(sdS[t]!) && sdS[t]! !== 0) slopeSpread[t] = slopeOnIndex(S, t, M) / sdS[t]!;
    if (windowDefined(z, t, M)) slopeZ[t] = slopeOnIndex(z, t, M);
  }
  const gain = nan(),
    loss = nan();
  for (let t = 0; t < N; t++) {
    gain[t] = Math.max(dS[t]!, 0);
    loss[t] = Math.max(-dS[t]!, 0);
  }
  const avgGain = wilderSeries(gain, P),
    avgLoss = wilderSeries(loss, P);
  const rsi = nan();
  for (let t = 0; t < N; t++) {
    const g = avgGain[t]!,
      l = avgLoss[t]!;
    if (!def(g) || !def(l)) continue;
    rsi[t] = l === 0 ? 100 : 100 - 100 / (1 + g / l);
  }

  const cols: Record<ReferenceFeatureName, Float64Array> = {
    p_A: pA,
    p_B: pB,
    r_A: rA,
    r_B: rB,
    beta_raw: betaRaw,
    beta,
    spread: S,
    z_raw: zRaw,
    z,
    z_ema: zEma,
    delta_z: deltaZ,
    atr_spread: atrSpread,
    vol_ratio_spread: volRatioSpread,
    half_life: halfLife,
    rho_rolling: rho,
    corr_stability: corrStability,
    beta_stability: betaStability,
    atr_A: atrA,
    atr_B: atrB,
    atr_ratio_A: atrRatioA,
    atr_ratio_B: atrRatioB,
    ema_gap_spread: emaGap,
    slope_spread: slopeSpread,
    rsi_spread: rsi,
    abs_delta_S: absDeltaS,
    abs_delta_z: absDeltaZ,
    slope_z: slopeZ,
    dz_speed: dzSpeed,
  };
  const columns: Record<string, number[]> = {};
  const valid = new Array<number>(N).fill(1);
  for (const name of REFERENCE_FEATURE_NAMES) {
    const src = cols[name];
    const out = new Array<number>(N);
    for (let t = 0; t < N; t++) {
      const v = src[t]!;
      if (def(v)) out[t] = v;
      else {
        out[t] = NaN;
        valid[t] = 0;
      }
    }
    columns[name] = out;
  }
  return { columns, valid };
}
