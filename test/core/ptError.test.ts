import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '../../src/core/errorCatalog.js';
import { PtError } from '../../src/core/ptError.js';
import { createLogger } from '../../src/core/logger.js';

describe('error ids', () => {
  it('every catalog id has the {DOMAIN}_{CATEGORY}_{CODE} shape with a known domain', () => {
    for (const id of Object.keys(ERROR_CATALOG)) {
      expect(id).toMatch(/^(DATA|CORE|BT|ANALYTICS|OPS|UI)_[A-Z]+_[A-Z0-9]{3,9}$/);
    }
  });

  it('PtError carries id, severity and the SPEC §11 payload', () => {
    const e = new PtError('DATA_API_TIMEOUT', 'twelvedata took too long', {
      source: 'twelvedata',
      details: { symbol: 'XAUUSD' },
    });
    const p = e.toPayload();
    expect(p.error_id).toBe('DATA_API_TIMEOUT');
    expect(p.severity).toBe('WARNING');
    expect(p.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(p.occurred_at)).not.toBeNaN();
    expect(p.source).toBe('twelvedata');
    expect(p.details).toEqual({ symbol: 'XAUUSD' });
    expect(e.exitCode).toBe(1);
  });
});

describe('logger', () => {
  it('writes one JSON object per line with ts, level, source, run_id, event and details', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger({ source: 'ingest', run_id: 'r1', timeframe: '1h', symbol: 'XAUUSD' }, sink);
    log.info({ event: 'ingest_done', details: { rows: 10 } });
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: 'info',
      source: 'ingest',
      run_id: 'r1',
      timeframe: '1h',
      symbol: 'XAUUSD',
      event: 'ingest_done',
      details: { rows: 10 },
    });
    expect(Date.parse(entry.ts as string)).not.toBeNaN();
  });
});
