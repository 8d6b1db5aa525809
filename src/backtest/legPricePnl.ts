// The price P&L of one leg in USD: signed lots × contract size × price move × USD per quote unit. The
// backtest's book marks and settles with it; pt live's losing-streak alert counts closes with it.

/** In this order of operations exactly: the backtest's fills and pt live's alerts agree to the bit. */
export function legPricePnlUsd(
  signedLots: number,
  contractSize: number,
  price: number,
  entryPrice: number,
  usdPerQuote: number,
): number {
  return signedLots * contractSize * (price - entryPrice) * usdPerQuote;
}
