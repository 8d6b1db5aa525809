// Log-space Gaussian masses and truncated-normal draws for the Parzen kernels.
import { erfc } from '../../backtest/kpis/normalCdf.js';
import { PtError } from '../../core/ptError.js';
import type { SeededRng } from '../../core/rng.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** log Φ(z), with relative accuracy in the lower tail (erfc, not 1 − erf). −∞ once Φ underflows. */
export function logNormalCdf(z: number): number {
  return Math.log(0.5 * erfc(-z / Math.SQRT2));
}

/**
 * log(Φ(b) − Φ(a)) for a ≤ b. Like Optuna's _truncnorm._log_gauss_mass, works in the left tail
 * (flipping a right-tail interval) and uses log1p(−Φ(a) − Φ(−b)) across 0, so nothing cancels.
 */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) {
    const logB = logNormalCdf(b);
    if (logB === -Infinity) return -Infinity;
    return logB + Math.log1p(-Math.exp(logNormalCdf(a) - logB));
  }
  if (a > 0) return logGaussMass(-b, -a);
  return Math.log1p(-0.5 * erfc(-a / Math.SQRT2) - 0.5 * erfc(b / Math.SQRT2));
}

/** log density of N(mu, sigma) truncated to [low, high], at x in the bounds. */
export function truncatedNormalLogPdf(x: number, mu: number, sigma: number, logMassInBounds: number): number {
  const z = (x - mu) / sigma;
  return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma) - logMassInBounds;
}

/**
 * One draw of N(mu, sigma) truncated to [low, high], by rejection. The kernels always have mu inside the
 * bounds and sigma ≤ high − low, so at least Φ(1) − Φ(0) ≈ 0.34 of the mass is inside and a draw needs
 * under three tries on average. (Optuna inverts the CDF instead; the distribution is the same.)
 */
export function sampleTruncatedNormal(rng: SeededRng, mu: number, sigma: number, low: number, high: number): number {
  for (let tries = 0; tries < 100_000; tries++) {
    const x = mu + sigma * rng.gaussian();
    if (x >= low && x <= high) return x;
  }
  throw new PtError('CORE_INTERNAL_BUG', `truncated normal N(${mu}, ${sigma}) has no mass in [${low}, ${high}]`, {
    source: 'optimize',
  });
}
