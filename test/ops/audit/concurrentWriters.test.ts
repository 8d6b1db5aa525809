// Eight processes append 200 audit entries each to one log at once: the lock serialises them, so all
// 1,600 land whole, in one chain, each writer's in its own order.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../src/ops/audit/verifyAuditLog.js';
import { repoRoot } from '../../helpers/runPt.js';

const WRITERS = 8;
const ENTRIES = 200;
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pt-audit-writers-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function writer(path: string, id: number, go: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [
      join(repoRoot, 'test/helpers/auditWriterChild.mjs'),
      path,
      String(id),
      String(ENTRIES),
      go,
    ]);
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => done({ code, out, err }));
  });
}

describe('the audit log under concurrent writers (real processes)', () => {
  it(`${WRITERS} writers × ${ENTRIES} entries: ${WRITERS * ENTRIES} whole lines in one intact chain`, async () => {
    const path = join(dir, 'ops', 'audit.jsonl');
    const go = join(dir, 'go');
    const runs = Array.from({ length: WRITERS }, (_, id) => writer(path, id, go));
    await new Promise((r) => setTimeout(r, 300)); // all started and polling for the go file
    await writeFile(go, '');
    const results = await Promise.all(runs);
    expect(results.map((r) => [r.code, r.out, r.err])).toEqual(
      Array.from({ length: WRITERS }, () => [0, 'done\n', '']),
    );

    const text = await readFile(path, 'utf8');
    expect(verifyAuditLog(text)).toEqual({
      ok: true,
      lines: WRITERS * ENTRIES,
      headSha256: expect.any(String) as unknown,
    });
    const lines = text.split('\n').slice(0, -1);
    expect(lines).toHaveLength(WRITERS * ENTRIES);
    const entries = lines.map((l) => JSON.parse(l) as { writer: number; seq: number; prev_sha256: string | null });
    expect(entries[0]!.prev_sha256).toBeNull();
    for (let i = 1; i < lines.length; i++) expect(entries[i]!.prev_sha256).toBe(sha(lines[i - 1]!));
    const seqs = Array.from({ length: WRITERS }, (_, id) => entries.filter((e) => e.writer === id).map((e) => e.seq));
    for (const s of seqs) expect(s).toEqual(Array.from({ length: ENTRIES }, (_, k) => k));
    // the writers really overlapped: one after another would switch writer exactly WRITERS - 1 times
    const switches = entries.filter((e, i) => i > 0 && e.writer !== entries[i - 1]!.writer).length;
    expect(switches).toBeGreaterThan(WRITERS - 1);
  }, 240_000);
});
