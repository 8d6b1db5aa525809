import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAlertsTail } from '../../../src/adapters/files/readAlertsTail.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pt-alerts-tail-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (n: number, message = `alert ${n}`) =>
  `${JSON.stringify({ event_id: `e${n}`, error_id: 'OPS_X_Y', severity: 'INFO', source: 't', message, occurred_at: `2026-12-04T00:00:${String(n % 60).padStart(2, '0')}Z` })}\n`;

describe('readAlertsTail', () => {
  it('no file is no alerts', async () => {
    expect(await readAlertsTail(join(dir, 'alerts.jsonl'), 10)).toEqual([]);
  });

  it('newest first, at most `limit`, skipping a torn last line and a foreign one', async () => {
    const path = join(dir, 'alerts.jsonl');
    await writeFile(path, line(1) + 'not json\n' + line(2) + line(3) + '{"event_id":"e4","mess');
    expect((await readAlertsTail(path, 2)).map((a) => a.event_id)).toEqual(['e3', 'e2']);
    expect((await readAlertsTail(path, 10)).map((a) => a.event_id)).toEqual(['e3', 'e2', 'e1']);
    expect(await readAlertsTail(path, 0)).toEqual([]);
  });

  it('reads back across 64 KiB chunks without breaking lines or multi-byte characters', async () => {
    const path = join(dir, 'alerts.jsonl');
    let text = '';
    for (let n = 0; n < 3000; n++) text += line(n, `警告 ${n} ${'x'.repeat(n % 50)}`);
    await appendFile(path, text);
    const tail = await readAlertsTail(path, 2500);
    expect(tail).toHaveLength(2500);
    expect(tail[0]!.event_id).toBe('e2999');
    expect(tail[2499]!.event_id).toBe('e500');
    expect(tail[2499]!.message.startsWith('警告 500')).toBe(true);
  });
});
