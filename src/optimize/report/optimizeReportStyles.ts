// CSS the optimise report adds to the backtest report's styles.
export const OPTIMIZE_REPORT_STYLES = `
p.headline{font-size:15px;font-weight:600;margin:4px 0 10px}
p.headline.none-feasible{color:#b3261e}
ul.stats{margin:6px 0 0;padding-left:18px}
.grids{display:flex;flex-wrap:wrap;gap:12px 28px}
figure{margin:0 0 8px}figcaption{color:#5b6475;margin:0 0 4px;font-size:13px}
svg .hm-cell.infeasible text{font-weight:400}
svg .chosen-outline{fill:none;stroke:#111;stroke-width:3}
svg .nearest-outline{fill:none;stroke:#111;stroke-width:2.5;stroke-dasharray:5 3}
svg .dot{fill:#8a93a3;fill-opacity:.35}
svg .dot.pareto{fill:#1f5fbf;fill-opacity:1;stroke:#fff;stroke-width:1}
svg .pareto-line{fill:none;stroke:#1f5fbf;stroke-width:1.2;stroke-dasharray:4 3}
svg .chosen-mark{fill:none;stroke:#111;stroke-width:2.2}
svg .chosen-label{font-weight:700;fill:#111}
svg .infeasible-zone{fill:#c62828;fill-opacity:.07}
svg .axis-title{fill:#1d2330;font-size:12px}
svg .best-line{fill:none;stroke:#111;stroke-width:1.6}
svg .trial.infeasible{fill:#fff;stroke-width:1.3}
.legend{display:flex;flex-wrap:wrap;gap:4px 18px;color:#5b6475;font-size:13px;margin:6px 0 0}
.swatch{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:5px;vertical-align:-1px}
.swatch.hollow{background:#fff!important;border:1.5px solid #5b6475}
.swatch.line{border-radius:0;height:2px;width:16px;background:#111;vertical-align:3px}
.swatch.hatch{border-radius:2px;background:repeating-linear-gradient(45deg,#ddd 0 2px,#fff 2px 5px);border:1px solid #999}
`;
