// Synthetic FX/metals hourly bars with the real week structure (open Sunday 17:00 New York for FX,
// 18:00 for metals; close Friday 17:00; metals pause 17:00–18:00 Monday to Thursday), written in any
// broker clock as an MT5 "Export Bars" file.
import { ZoneClock } from '../../src/core/zoneClock.js';

const HOUR_MS = 3_600_000;
const NEW_YORK = ZoneClock.of('America/New_York');

export interface TestBar {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** True when the market trades during the hour starting at `utc` (New York rules). */
function trades(utc: number, metals: boolean): boolean {
  const ny = new Date(NEW_YORK.toWall(utc));
  const dow = ny.getUTCDay();
  const minute = ny.getUTCHours() * 60 + ny.getUTCMinutes();
  const roll = 17 * 60;
  if (dow === 6) return false;
  if (dow === 5 && minute >= roll) return false;
  if (dow === 0 && minute < roll + (metals ? 60 : 0)) return false;
  if (metals && dow >= 1 && dow <= 4 && minute >= roll && minute < roll + 60) return false;
  return true;
}

/** Hourly bars over [from, to) (ISO dates, UTC), only inside the trading week. */
export function marketBars(from: string, to: string, metals: boolean): TestBar[] {
  const out: TestBar[] = [];
  let price = metals ? 2000 : 1.1;
  const tick = metals ? 0.01 : 0.00001;
  let i = 0;
  for (let t = Date.parse(`${from}T00:00:00Z`); t < Date.parse(`${to}T00:00:00Z`); t += HOUR_MS) {
    if (!trades(t, metals)) continue;
    i++;
    const step = ((i * 7919) % 41) - 20;
    const open = Number(price.toFixed(metals ? 2 : 5));
    const close = Number((open + step * tick).toFixed(metals ? 2 : 5));
    const high = Number((Math.max(open, close) + 3 * tick).toFixed(metals ? 2 : 5));
    const low = Number((Math.min(open, close) - 3 * tick).toFixed(metals ? 2 : 5));
    out.push({ ts: t, open, high, low, close, volume: 100 + (i % 50) });
    price = close;
  }
  return out;
}

/**
 * The bars a MetaTrader server on clock `tz` keeps: its week starts at server Monday 00:00 (01:00
 * for metals), so an EET server opens an hour after the market in the US-only DST weeks, as the
 * bundled EET samples do. A no-op for NY+7, whose server midnight is the market's open.
 */
export function serverWeek(bars: TestBar[], tz: string, metals: boolean): TestBar[] {
  const clock = ZoneClock.of(tz);
  return bars.filter((b) => {
    const wall = new Date(clock.toWall(b.ts));
    if (wall.getUTCDay() === 0) return false;
    return !(metals && wall.getUTCDay() === 1 && wall.getUTCHours() === 0);
  });
}

function wallText(utc: number, clock: ZoneClock): [string, string] {
  const iso = new Date(clock.toWall(utc)).toISOString();
  return [iso.slice(0, 10).replaceAll('-', '.'), iso.slice(11, 19)];
}

/** The bars as an MT5 "Export Bars" file (tab-separated, `<DATE>`/`<TIME>`) on the clock `tz`. */
export function mt5Text(bars: TestBar[], tz: string): string {
  const clock = ZoneClock.of(tz);
  const lines = ['<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>'];
  for (const b of bars) {
    const [d, t] = wallText(b.ts, clock);
    lines.push([d, t, b.open, b.high, b.low, b.close, b.volume, 0, 10].join('\t'));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The bars as a plain `ts,open,high,low,close,volume` file in UTC. */
export function utcText(bars: TestBar[]): string {
  const lines = ['ts,open,high,low,close,volume'];
  for (const b of bars)
    lines.push(
      [new Date(b.ts).toISOString().slice(0, 19).replace('T', ' '), b.open, b.high, b.low, b.close, b.volume].join(','),
    );
  return `${lines.join('\n')}\n`;
}
