// Inline CSS of the report (system fonts only, no external resources).
export const REPORT_STYLES = `
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:14px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d2330;background:#f6f7f9}
header h1{margin:0 0 8px;font-size:24px}
dl.meta{display:flex;flex-wrap:wrap;gap:8px 28px;margin:0 0 8px}
dl.meta div{display:flex;gap:6px}dl.meta dt{color:#5b6475}dl.meta dd{margin:0;font-weight:600}
section{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:16px 20px;margin:16px 0}
h2{margin:0 0 10px;font-size:17px}
table{border-collapse:collapse;font-size:13px}
th,td{padding:4px 10px;border-bottom:1px solid #eceef2;text-align:left;white-space:nowrap}
thead th{background:#f0f2f5;position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.pos{color:#1b7a2f}td.neg{color:#b3261e}
table.kpis th[scope=row]{font-weight:500}
.ci{color:#5b6475}
ul.verdicts{list-style:none;margin:0;padding:0}ul.verdicts li{margin:4px 0}
.badge{display:inline-block;min-width:48px;text-align:center;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:700;color:#fff}
.badge.pass{background:#2e7d32}.badge.fail{background:#c62828}
.reason{color:#5b6475}
.none,.caption,.note{color:#5b6475;margin:0 0 8px}.note{font-style:italic}
.scroll{max-height:600px;overflow:auto}
svg.chart{display:block;width:100%;height:auto;font-size:11px;font-family:inherit}
svg.heatmap{width:auto;max-width:100%}
svg .grid{stroke:#eceef2;stroke-width:1}
svg .tick{stroke:#8a93a3}
svg .axis text,svg .hm-col,svg .hm-row{fill:#5b6475}
svg .frame{stroke:#c9ced8}
svg.equity .line{stroke:#1f5fbf;stroke-width:1.6}
svg.drawdown .line{stroke:#b3261e;stroke-width:1.2}
svg.drawdown .area{fill:#e57373;fill-opacity:.45}
svg .hm-cell text{font-size:11px;font-weight:600}
svg .hm-col,svg .hm-row{font-weight:600}
`;
