// The audit log's chain: entries written by appendAudit to a real file, then tampered with byte by byte;
// verify names the line each change is at.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../../src/ops/audit/appendAudit.js';
import { verifyAuditFile, verifyAuditLog } from '../../../src/ops/audit/verifyAuditLog.js';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

let dir: string;
let path: string;
let lines: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pt-audit-verify-'));
  path = join(dir, 'ops', 'audit.jsonl');
  for (let i = 1; i <= 5; i++)
    await appendAudit(
      path,
      {
        action: 'ops.halt',
        scope: `pair:P${i}`,
        reason: `drill ${i}`,
        before: { halted: [] },
        after: { halted: [`P${i}`] },
        level: 'soft',
      },
      { now: () => new Date(Date.UTC(2026, 0, 5, 9, i)) },
    );
  lines = (await readFile(path, 'utf8')).split('\n').slice(0, -1);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const logOf = (ls: string[]) => `${ls.join('\n')}\n`;
/** `text` with the byte at `at` replaced by `by` (ASCII). */
const editByte = (text: string, at: number, by: string) => `${text.slice(0, at)}${by}${text.slice(at + 1)}`;

describe('appendAudit', () => {
  it('writes the typed entry: time, actor ($USER), os_user, action, scope, reason, before, after, extras, the chain', async () => {
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    const osUser = userInfo().username;
    expect(first).toEqual({
      time: '2026-01-05T09:01:00.000Z',
      actor: process.env.USER || osUser,
      os_user: osUser,
      action: 'ops.halt',
      scope: 'pair:P1',
      reason: 'drill 1',
      before: { halted: [] },
      after: { halted: ['P1'] },
      level: 'soft',
      prev_sha256: null,
      entry_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
    const r = await appendAudit(path, {
      action: 'ops.resume',
      scope: 'portfolio',
      reason: null,
      before: null,
      after: null,
      actor: 'oncall-alice',
    });
    expect(r.entry.actor).toBe('oncall-alice');
    expect(r.entry.os_user).toBe(osUser);
    expect(JSON.parse(r.line)).toMatchObject({ actor: 'oncall-alice', prev_sha256: sha(lines[4]!) });
    expect(r.sha256).toBe(sha(r.line));
  });
});

describe('verifyAuditLog', () => {
  it('an intact log: every entry counted, the head is the SHA-256 of the last line', async () => {
    expect(await verifyAuditFile(path)).toEqual({ ok: true, lines: 5, headSha256: sha(lines[4]!) });
    expect(verifyAuditLog('')).toEqual({ ok: true, lines: 0, headSha256: null });
  });

  it('a 1-byte edit in the middle line is named at that line', () => {
    const at = lines[2]!.indexOf('drill 3') + 'drill '.length;
    const edited = [...lines];
    edited[2] = editByte(lines[2]!, at, '8');
    expect(edited[2]).toContain('"drill 8"');
    expect(verifyAuditLog(logOf(edited))).toMatchObject({
      ok: false,
      lines: 5,
      firstBroken: { line: 3, problem: 'does not match its own entry_sha256: the line was edited' },
    });
  });

  it("a 1-byte edit of a line's prev_sha256, or of the last line, is named at that line too", () => {
    const prev = [...lines];
    const at = lines[1]!.indexOf('"prev_sha256":"') + 20;
    prev[1] = editByte(lines[1]!, at, lines[1]![at] === '0' ? '1' : '0');
    expect(verifyAuditLog(logOf(prev)).firstBroken?.line).toBe(2);
    const last = [...lines];
    last[4] = last[4]!.replace('"level":"soft"', '"level":"hard"');
    expect(verifyAuditLog(logOf(last)).firstBroken).toEqual({
      line: 5,
      problem: 'does not match its own entry_sha256: the line was edited',
    });
  });

  it('a deleted line is named where it is missing', () => {
    const deleted = lines.filter((_, i) => i !== 2);
    expect(verifyAuditLog(logOf(deleted))).toMatchObject({
      ok: false,
      lines: 4,
      firstBroken: {
        line: 3,
        problem: 'does not follow line 2: the entry between them is missing (a line was deleted)',
      },
    });
    expect(verifyAuditLog(logOf(lines.slice(1))).firstBroken).toEqual({
      line: 1,
      problem: 'is the first line but its prev_sha256 is not null: the lines before it were removed',
    });
  });

  it('a deleted last line leaves a shorter intact chain: only the anchored head hash shows it', () => {
    const r = verifyAuditLog(logOf(lines.slice(0, 4)));
    expect(r).toEqual({ ok: true, lines: 4, headSha256: sha(lines[3]!) });
    expect(r.headSha256).not.toBe(sha(lines[4]!));
  });

  it('a swapped pair is named at the first of the two', () => {
    const swapped = [lines[0]!, lines[1]!, lines[3]!, lines[2]!, lines[4]!];
    expect(verifyAuditLog(logOf(swapped)).firstBroken).toEqual({
      line: 3,
      problem: 'follows the entry of line 4, not of line 2: lines out of order (moved or swapped)',
    });
    expect(verifyAuditLog(logOf([lines[1]!, lines[0]!, ...lines.slice(2)])).firstBroken).toEqual({
      line: 1,
      problem: 'is the first line but follows the entry of line 2: lines out of order',
    });
  });

  it('a duplicated line, a line that is not JSON, an empty line, a missing final newline', () => {
    const dup = [lines[0]!, lines[1]!, lines[1]!, ...lines.slice(2)];
    expect(verifyAuditLog(logOf(dup)).firstBroken).toEqual({
      line: 3,
      problem: 'follows the entry of line 1, not of line 2: line 2 was moved or inserted',
    });
    const cut = [...lines.slice(0, 4), lines[4]!.slice(0, 40)];
    expect(verifyAuditLog(logOf(cut)).firstBroken).toEqual({
      line: 5,
      problem: 'is not JSON (edited, or a write cut off)',
    });
    expect(verifyAuditLog(logOf([lines[0]!, '', ...lines.slice(1)])).firstBroken?.line).toBe(2);
    expect(verifyAuditLog(lines.join('\n')).firstBroken).toEqual({
      line: 5,
      problem: 'has no newline at its end (a write cut off, or an edit)',
    });
    expect(verifyAuditLog(logOf([lines[0]!, '[1]'])).firstBroken).toEqual({ line: 2, problem: 'is not a JSON object' });
  });

  it('a line stripped of its own hash after one that has it is named; lines from before pt wrote it chain only', async () => {
    const stripped = [...lines];
    stripped[3] = lines[3]!.replace(/,"entry_sha256":"[0-9a-f]{64}"\}$/, '}');
    expect(verifyAuditLog(logOf(stripped)).firstBroken).toEqual({
      line: 4,
      problem: 'has no entry_sha256 although line 1 before it has one: edited or inserted',
    });
    // An older log (prev_sha256 only), continued by today's writer.
    const old1 = '{"at":"2025-01-01T00:00:00.000Z","decision":"hold","prev_sha256":null}';
    const old2 = `{"at":"2025-02-01T00:00:00.000Z","decision":"apply","prev_sha256":"${sha(old1)}"}`;
    const oldPath = join(dir, 'theta_decisions.jsonl');
    await writeFile(oldPath, logOf([old1, old2]));
    await appendAudit(oldPath, { action: 'theta.hold', scope: 'model:v', reason: 'hold', before: null, after: null });
    const text = await readFile(oldPath, 'utf8');
    expect(verifyAuditLog(text)).toMatchObject({ ok: true, lines: 3 });
    // without an own hash, an edit shows at the next line's prev_sha256
    expect(verifyAuditLog(text.replace('"decision":"apply"', '"decision":"apple"')).firstBroken).toEqual({
      line: 3,
      problem: 'its prev_sha256 is not the SHA-256 of line 2: line 2 was edited, or a line after it was deleted',
    });
  });
});
