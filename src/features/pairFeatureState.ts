// PairFeatureState: one aligned bar in, one SPEC §2 feature row out. The batch command is a loop
// over it and pt live keeps one per pair, so there is one implementation of every formula.
import { PtError } from '../core/ptError.js';
import { Ema } from './ema.js';
import { F, FEATURE_COUNT } from './featureNames.js';
import type { FeatureParams } from './featureParams.js';
import { FixedXSlope } from './fixedXSlope.js';
import { HuberScratch, robustSlope } from './huberSlope.js';
import { RollingMedian } from './rollingMedian.js';
import { RollingMoments } from './rollingMoments.js';
import { RollingRegression } from './rollingRegression.js';
import { Wilder } from './wilder.js';

const NaN_ = Number.NaN;
const LN2 = Math.LN2;

/** Serialisable state: every component's numbers plus the scalars carried between bars. */
export interface PairFeatureSnapshot {
  version: 1;
  bars: number;
  lastTs: number;
  scalars: number[];
  parts: Record<string, number[]>;
}

export class PairFeatureState {
  readonly params: FeatureParams;
  private readonly legs: RollingRegression;
  private readonly huber: HuberScratch;
  private readonly betaEma: Ema;
  private readonly spreadMoments: RollingMoments;
  private readonly zEma: Ema;
  private readonly atrSpread: Wilder;
  private readonly atrSpreadMedian: RollingMedian;
  private readonly halfLifeFit: RollingRegression;
  private readonly returns: RollingRegression;
  private readonly rhoMoments: RollingMoments;
  private readonly betaMoments: RollingMoments;
  private readonly atrA: Wilder;
  private readonly atrB: Wilder;
  private readonly atrAMedian: RollingMedian;
  private readonly atrBMedian: RollingMedian;
  private readonly emaFast: Ema;
  private readonly emaSlow: Ema;
  private readonly spreadSlope: FixedXSlope;
  private readonly rsiGain: Wilder;
  private readonly rsiLoss: Wilder;
  private readonly zSlope: FixedXSlope;
  private readonly dzSpeed: Ema;
  // Values carried from the previous bar.
  private prevPA = NaN_;
  private prevPB = NaN_;
  private prevCloseA = NaN_;
  private prevCloseB = NaN_;
  private prevS = NaN_;
  private prevZ = NaN_;
  private bars = 0;
  private lastTs = -Infinity;

  constructor(params: FeatureParams) {
    this.params = params;
    const p = params;
    const every = p.recomputeEvery;
    this.legs = new RollingRegression(p.betaWindow, every);
    this.huber = new HuberScratch(p.betaWindow);
    this.betaEma = Ema.halfLife(p.betaHalfLife);
    this.spreadMoments = new RollingMoments(p.zWindow, every);
    this.zEma = Ema.halfLife(p.zEmaHalfLife);
    this.atrSpread = new Wilder(p.atrPeriod);
    this.atrSpreadMedian = new RollingMedian(p.medianWindow);
    this.halfLifeFit = new RollingRegression(p.halfLifeWindow, every);
    this.returns = new RollingRegression(p.rhoWindow, every);
    this.rhoMoments = new RollingMoments(p.stabilityWindow, every);
    this.betaMoments = new RollingMoments(p.stabilityWindow, every);
    this.atrA = new Wilder(p.atrPeriod);
    this.atrB = new Wilder(p.atrPeriod);
    this.atrAMedian = new RollingMedian(p.medianWindow);
    this.atrBMedian = new RollingMedian(p.medianWindow);
    this.emaFast = Ema.span(p.emaFastSpan);
    this.emaSlow = Ema.span(p.emaSlowSpan);
    this.spreadSlope = new FixedXSlope(p.slopeWindow);
    this.rsiGain = new Wilder(p.atrPeriod);
    this.rsiLoss = new Wilder(p.atrPeriod);
    this.zSlope = new FixedXSlope(p.slopeWindow);
    this.dzSpeed = Ema.halfLife(p.dzSpeedHalfLife);
  }

  /** Bars seen so far. */
  get count(): number {
    return this.bars;
  }

  /**
   * Takes the next aligned bar (open time ascending; OHLC of both legs, raw prices > 0) and writes
   * its feature row into `out` (FEATURE_COUNT values, NaN where undefined). Returns true when every
   * feature is defined (a valid row).
   */
  update(
    tsMs: number,
    highA: number,
    lowA: number,
    closeA: number,
    highB: number,
    lowB: number,
    closeB: number,
    out: Float64Array,
  ): boolean {
    if (!(tsMs > this.lastTs))
      throw new PtError(
        'DATA_SCHEMA_BAR',
        `features: bar ${new Date(tsMs).toISOString()} is not after the previous bar`,
        { source: 'features' },
      );
    if (!(closeA > 0 && closeB > 0 && highA > 0 && lowA > 0 && highB > 0 && lowB > 0)) {
      throw new PtError(
        'DATA_SCHEMA_BAR',
        `features: non-positive or NaN price at ${new Date(tsMs).toISOString()} (A close ${closeA}, B close ${closeB})`,
        { source: 'features' },
      );
    }
    const p = this.params;
    this.lastTs = tsMs;
    this.bars++;
    const log = p.priceTransform === 'log';
    const pA = log ? Math.log(closeA) : closeA;
    const pB = log ? Math.log(closeB) : closeB;
    const rA = pA - this.prevPA;
    const rB = pB - this.prevPB;

    // beta_raw: OLS of p_A on p_B over the window, Huber slope when the residuals are heavy-tailed.
    this.legs.push(pB, pA);
    let betaRaw = NaN_;
    if (this.legs.full) {
      // The Huber check and refit do not depend on the order of the pairs: use the ring as it is.
      betaRaw = robustSlope(
        this.legs.ringX,
        this.legs.ringY,
        this.legs.size,
        this.legs.intercept(),
        this.legs.slope(),
        this.legs.residualStd(),
        p.huber,
        this.huber,
      );
    }
    const beta = this.betaEma.push(betaRaw);
    const S = pA - beta * pB;

    let zRaw = NaN_;
    let spreadStd = NaN_;
    if (!Number.isNaN(S)) {
      this.spreadMoments.push(S);
      if (this.spreadMoments.full) {
        spreadStd = this.spreadMoments.std();
        // SPEC §2: z over the window ending at t; a flat spread (std 0) has no z.
        if (spreadStd > 0) zRaw = (S - this.spreadMoments.mean()) / spreadStd;
      }
    }
    const z = Number.isNaN(zRaw) ? NaN_ : Math.max(-p.zClip, Math.min(p.zClip, zRaw));
    const zEma = this.zEma.push(z);
    const deltaZ = z - this.prevZ;
    const dS = S - this.prevS;
    const absDeltaS = Math.abs(dS);

    const atrSpread = this.atrSpread.push(absDeltaS);
    let volRatio = NaN_;
    if (!Number.isNaN(atrSpread)) {
      this.atrSpreadMedian.push(atrSpread);
      if (this.atrSpreadMedian.full) volRatio = atrSpread / this.atrSpreadMedian.median();
    }

    let halfLife = NaN_;
    if (!Number.isNaN(dS)) {
      this.halfLifeFit.push(this.prevS, dS);
      if (this.halfLifeFit.full) {
        const b = this.halfLifeFit.slope();
        const [lo, hi] = p.halfLifeBounds;
        const raw = b < 0 ? LN2 / -b : hi;
        halfLife = Number.isNaN(b) ? NaN_ : Math.max(lo, Math.min(hi, raw));
      }
    }

    let rho = NaN_;
    if (!Number.isNaN(rA) && !Number.isNaN(rB)) {
      this.returns.push(rB, rA);
      if (this.returns.full) rho = this.returns.correlation();
    }
    let corrStability = NaN_;
    if (!Number.isNaN(rho)) {
      this.rhoMoments.push(rho);
      if (this.rhoMoments.full) corrStability = this.rhoMoments.variance();
    }
    let betaStability = NaN_;
    if (!Number.isNaN(beta)) {
      this.betaMoments.push(beta);
      if (this.betaMoments.full) betaStability = this.betaMoments.std() / (Math.abs(this.betaMoments.mean()) + 1e-6);
    }

    const atrA = this.atrA.push(trueRange(highA, lowA, this.prevCloseA));
    const atrB = this.atrB.push(trueRange(highB, lowB, this.prevCloseB));
    const atrRatioA = this.ratioToMedian(atrA, this.atrAMedian);
    const atrRatioB = this.ratioToMedian(atrB, this.atrBMedian);

    const emaGap = this.emaFast.push(S) - this.emaSlow.push(S);
    let slopeSpread = NaN_;
    if (!Number.isNaN(S)) {
      this.spreadSlope.push(S);
      slopeSpread = this.spreadSlope.slope() / spreadStd;
    }

    let rsi = NaN_;
    if (!Number.isNaN(dS)) {
      const gain = this.rsiGain.push(dS > 0 ? dS : 0);
      const loss = this.rsiLoss.push(dS < 0 ? -dS : 0);
      // SPEC §2: RSI is 100 when the average loss is 0.
      if (!Number.isNaN(loss)) rsi = loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
    }

    const absDeltaZ = Math.abs(deltaZ);
    let slopeZ = NaN_;
    if (!Number.isNaN(z)) {
      this.zSlope.push(z);
      slopeZ = this.zSlope.slope();
    }
    const dzSpeed = this.dzSpeed.push(absDeltaZ);

    out[F.p_A] = pA;
    out[F.p_B] = pB;
    out[F.r_A] = rA;
    out[F.r_B] = rB;
    out[F.beta_raw] = betaRaw;
    out[F.beta] = beta;
    out[F.spread] = S;
    out[F.z_raw] = zRaw;
    out[F.z] = z;
    out[F.z_ema] = zEma;
    out[F.delta_z] = deltaZ;
    out[F.atr_spread] = atrSpread;
    out[F.vol_ratio_spread] = volRatio;
    out[F.half_life] = halfLife;
    out[F.rho_rolling] = rho;
    out[F.corr_stability] = corrStability;
    out[F.beta_stability] = betaStability;
    out[F.atr_A] = atrA;
    out[F.atr_B] = atrB;
    out[F.atr_ratio_A] = atrRatioA;
    out[F.atr_ratio_B] = atrRatioB;
    out[F.ema_gap_spread] = emaGap;
    out[F.slope_spread] = slopeSpread;
    out[F.rsi_spread] = rsi;
    out[F.abs_delta_S] = absDeltaS;
    out[F.abs_delta_z] = absDeltaZ;
    out[F.slope_z] = slopeZ;
    out[F.dz_speed] = dzSpeed;

    this.prevPA = pA;
    this.prevPB = pB;
    this.prevCloseA = closeA;
    this.prevCloseB = closeB;
    this.prevS = S;
    this.prevZ = z;

    for (let i = 0; i < FEATURE_COUNT; i++) if (Number.isNaN(out[i]!)) return false;
    return true;
  }

  private ratioToMedian(value: number, median: RollingMedian): number {
    if (Number.isNaN(value)) return NaN_;
    median.push(value);
    return median.full ? value / median.median() : NaN_;
  }

  /** Everything needed to continue bit-identically after a restart. */
  snapshot(): PairFeatureSnapshot {
    return {
      version: 1,
      bars: this.bars,
      lastTs: this.lastTs,
      scalars: [this.prevPA, this.prevPB, this.prevCloseA, this.prevCloseB, this.prevS, this.prevZ],
      parts: Object.fromEntries(Object.entries(this.components()).map(([k, c]) => [k, c.toState()])),
    };
  }

  static restore(params: FeatureParams, snap: PairFeatureSnapshot): PairFeatureState {
    if (snap.version !== 1)
      throw new PtError('DATA_SCHEMA_BAR', `features: unknown state version ${String(snap.version)}`, {
        source: 'features',
      });
    const s = new PairFeatureState(params);
    s.bars = snap.bars;
    s.lastTs = snap.lastTs;
    [s.prevPA, s.prevPB, s.prevCloseA, s.prevCloseB, s.prevS, s.prevZ] = snap.scalars as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    for (const [k, c] of Object.entries(s.components())) {
      const part = snap.parts[k];
      if (!part) throw new PtError('DATA_SCHEMA_BAR', `features: state lacks ${k}`, { source: 'features' });
      c.loadState(part);
    }
    return s;
  }

  private components(): Record<string, { toState(): number[]; loadState(s: number[]): void }> {
    return {
      legs: this.legs,
      betaEma: this.betaEma,
      spreadMoments: this.spreadMoments,
      zEma: this.zEma,
      atrSpread: this.atrSpread,
      atrSpreadMedian: this.atrSpreadMedian,
      halfLifeFit: this.halfLifeFit,
      returns: this.returns,
      rhoMoments: this.rhoMoments,
      betaMoments: this.betaMoments,
      atrA: this.atrA,
      atrB: this.atrB,
      atrAMedian: this.atrAMedian,
      atrBMedian: this.atrBMedian,
      emaFast: this.emaFast,
      emaSlow: this.emaSlow,
      spreadSlope: this.spreadSlope,
      rsiGain: this.rsiGain,
      rsiLoss: this.rsiLoss,
      zSlope: this.zSlope,
      dzSpeed: this.dzSpeed,
    };
  }
}

/** max(H − L, |H − C₋₁|, |L − C₋₁|) in raw prices; H − L for the first bar (SPEC §2). */
function trueRange(high: number, low: number, prevClose: number): number {
  const hl = high - low;
  if (Number.isNaN(prevClose)) return hl;
  return Math.max(hl, Math.abs(high - prevClose), Math.abs(low - prevClose));
}
