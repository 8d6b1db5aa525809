// The alerts view: the newest alerts first, severity coloured.
import { Box } from 'ink';
import type { AlertRecord } from '../ports/opsControl.js';
import { cell, shortTime } from './monitorFormat.js';
import { joinCells, Row } from './Row.js';

const SEVERITY_COLOR: Record<string, string> = { CRITICAL: 'red', WARNING: 'yellow', INFO: 'cyan' };

function widths(width: number) {
  const wide = width >= 110;
  return { time: 11, sev: 8, id: wide ? 24 : 18, source: wide ? 10 : 0 };
}

export function AlertRow({ alert, width, dim }: { alert: AlertRecord; width: number; dim: boolean }) {
  const w = widths(width);
  const used = w.time + w.sev + w.id + (w.source > 0 ? w.source + 1 : 0) + 3;
  return (
    <Row
      dim={dim}
      segs={joinCells([
        { text: cell(shortTime(alert.occurred_at), w.time) },
        {
          text: cell(alert.severity, w.sev),
          color: SEVERITY_COLOR[alert.severity] ?? 'white',
          bold: alert.severity === 'CRITICAL',
        },
        { text: cell(alert.error_id || '-', w.id) },
        ...(w.source > 0 ? [{ text: cell(alert.source || '-', w.source) }] : []),
        { text: cell(alert.message.replace(/\s+/g, ' '), Math.max(0, width - used)) },
      ])}
    />
  );
}

export function AlertsView(props: {
  alerts: readonly AlertRecord[];
  filter: string;
  width: number;
  height: number;
  dim: boolean;
}) {
  const { width, height, dim } = props;
  const t = props.filter.trim().toLowerCase();
  const alerts =
    t === ''
      ? props.alerts
      : props.alerts.filter((a) => `${a.error_id} ${a.source} ${a.message}`.toLowerCase().includes(t));
  const w = widths(width);
  const header = joinCells(
    [
      cell('TIME (UTC)', w.time),
      cell('SEVERITY', w.sev),
      cell('ERROR ID', w.id),
      ...(w.source > 0 ? [cell('SOURCE', w.source)] : []),
      'MESSAGE',
    ].map((text) => ({ text, bold: true })),
  );
  const shown = alerts.slice(0, Math.max(0, height - 1));
  return (
    <Box flexDirection="column">
      <Row segs={header} dim={dim} />
      {shown.length === 0 ? (
        <Row segs={[{ text: t === '' ? 'no alerts' : `no alert matches "${t}"` }]} dim={dim} />
      ) : null}
      {shown.map((a, i) => (
        <AlertRow key={i} alert={a} width={width} dim={dim} />
      ))}
    </Box>
  );
}
