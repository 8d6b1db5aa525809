// Audit lines: appended, never rewritten, each naming the SHA-256 of the line before; NaN as null.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAuditLine, lastLineSha256 } from '../../src/core/appendAuditLine.js';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('appendAuditLine', () => {
  it('creates the folder and file, chains each line to the one before, keeps earlier bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pt-audit-'));
    try {
      const path = join(dir, 'audit', 'x.jsonl');
      const a = await appendAuditLine(path, { n: 1, v: Number.NaN });
      expect(JSON.parse(a)).toEqual({ n: 1, v: null, prev_sha256: null });
      const before = await readFile(path, 'utf8');
      const b = await appendAuditLine(path, { n: 2 });
      expect(JSON.parse(b)).toEqual({ n: 2, prev_sha256: sha(a) });
      const text = await readFile(path, 'utf8');
      expect(text.startsWith(before)).toBe(true);
      expect(text).toBe(`${a}\n${b}\n`);
      // eight appends at once from one process: all land, each chained to exactly one predecessor
      await Promise.all(Array.from({ length: 8 }, (_, i) => appendAuditLine(path, { n: 10 + i })));
      const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
      expect(lines).toHaveLength(10);
      for (let i = 1; i < lines.length; i++)
        expect((JSON.parse(lines[i]!) as { prev_sha256: string }).prev_sha256).toBe(sha(lines[i - 1]!));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lastLineSha256: the last non-empty line, null for an empty file', () => {
    expect(lastLineSha256('')).toBeNull();
    expect(lastLineSha256('a\nb\n')).toBe(sha('b'));
    expect(lastLineSha256('a\nb')).toBe(sha('b'));
  });
});
