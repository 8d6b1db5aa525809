// Drawdown of an equity path for the report's chart: −drawdownPath (≤ 0), the KPI's own definition.
import { drawdownPath } from '../kpis/maxDrawdown.js';

/** `startEquity` (the initial capital) is the first peak, as for the MaxDD KPI. */
export function drawdownSeries(equity: ArrayLike<number>, startEquity?: number): number[] {
  return Array.from(drawdownPath(equity, startEquity), (dd) => (dd === 0 ? 0 : -dd));
}
