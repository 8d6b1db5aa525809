// Audit lines: appended, never rewritten, each naming the SHA-256 of the line before and its own; NaN as null.
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAuditLine, auditLineSha256, splitEntrySha256 } from '../../src/core/appendAuditLine.js';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
/** The line as it was before its own hash was added, and that hash. */
const selfHashed = (line: string) => {
  const m = /^(.*),"entry_sha256":"([0-9a-f]{64})"\}$/.exec(line)!;
  return { body: `${m[1]}}`, hash: m[2] };
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pt-audit-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('appendAuditLine', () => {
  it('creates the folder and file, chains each line to the one before, keeps earlier bytes', async () => {
    const path = join(dir, 'audit', 'x.jsonl');
    const a = await appendAuditLine(path, { n: 1, v: Number.NaN, prev_sha256: 'mine', entry_sha256: 'mine' });
    expect(JSON.parse(a)).toEqual({
      n: 1,
      v: null,
      prev_sha256: null,
      entry_sha256: sha('{"n":1,"v":null,"prev_sha256":null}'),
    });
    const before = await readFile(path, 'utf8');
    const b = await appendAuditLine(path, { n: 2 });
    expect(JSON.parse(b)).toEqual({ n: 2, prev_sha256: sha(a), entry_sha256: sha(selfHashed(b).body) });
    expect(selfHashed(b).body).toBe(`{"n":2,"prev_sha256":"${sha(a)}"}`);
    const text = await readFile(path, 'utf8');
    expect(text.startsWith(before)).toBe(true);
    expect(text).toBe(`${a}\n${b}\n`);
    // eight appends at once from one process: all land, each chained to exactly one predecessor
    await Promise.all(Array.from({ length: 8 }, (_, i) => appendAuditLine(path, { n: 10 + i })));
    const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
    expect(lines).toHaveLength(10);
    for (let i = 1; i < lines.length; i++)
      expect((JSON.parse(lines[i]!) as { prev_sha256: string }).prev_sha256).toBe(sha(lines[i - 1]!));
  });

  it('finds the previous line from the end of a file larger than one read (a 200 kB line)', async () => {
    const path = join(dir, 'big.jsonl');
    await appendAuditLine(path, { n: 1 });
    const big = await appendAuditLine(path, { blob: 'é'.repeat(100_000) });
    const after = await appendAuditLine(path, { n: 3 });
    expect((JSON.parse(after) as { prev_sha256: string }).prev_sha256).toBe(sha(big));
  });

  it('a last line that lost its newline (a cut-off write) stays a line of its own; blank lines are skipped', async () => {
    const path = join(dir, 'cut.jsonl');
    const a = await appendAuditLine(path, { n: 1 });
    await appendFile(path, '{"n":2,"prev_sh');
    const c = await appendAuditLine(path, { n: 3 });
    expect(await readFile(path, 'utf8')).toBe(`${a}\n{"n":2,"prev_sh\n${c}\n`);
    expect((JSON.parse(c) as { prev_sha256: string }).prev_sha256).toBe(sha('{"n":2,"prev_sh'));
    await writeFile(path, `${a}\n\n\n`);
    const d = await appendAuditLine(path, { n: 4 });
    expect((JSON.parse(d) as { prev_sha256: string }).prev_sha256).toBe(sha(a));
  });

  it('auditLineSha256 hashes the UTF-8 bytes; splitEntrySha256 takes the own hash off the end', () => {
    expect(auditLineSha256('θ')).toBe(sha('θ'));
    expect(auditLineSha256(Buffer.from('θ', 'utf8'))).toBe(sha('θ'));
    const h = 'a'.repeat(64);
    expect(splitEntrySha256(`{"x":1,"prev_sha256":null,"entry_sha256":"${h}"}`)).toEqual({
      body: '{"x":1,"prev_sha256":null}',
      sha256: h,
    });
    expect(splitEntrySha256('{"x":1,"prev_sha256":null}')).toBeUndefined();
  });
});
