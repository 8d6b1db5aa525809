// pt retention apply as a user runs it: --dry-run --json lists what apply then moves and purges.
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runPt } from '../helpers/runPt.js';
import { buildRetentionFixture, type RetentionFixture } from '../retention/retentionFixture.js';

let fixture: RetentionFixture | undefined;
afterAll(async () => {
  if (fixture) await rm(fixture.root, { recursive: true, force: true });
});

interface JsonOut {
  dry_run: boolean;
  list_sha256: string;
  trash: Array<{ path: string; to: string }>;
  purge: Array<{ path: string }>;
  kept: Array<{ path: string; reason: string }>;
}

describe('pt retention apply (CLI)', () => {
  it('applies exactly the dry run, audits it, and then says nothing is due', async () => {
    const f = (fixture = await buildRetentionFixture());
    // signals_policy signal_dir and audit_log_path are relative to the working folder: the fixture's.
    const env = { PT_CONFIG_DIR: join(repoRoot, 'config') };
    const args = ['retention', 'apply', '--data-dir', f.data, '--models-dir', f.models, '--reports-dir', f.reports];
    const dry = runPt([...args, '--dry-run', '--json'], env, f.root);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout) as JsonOut;
    expect(planned.dry_run).toBe(true);
    const rel = (p: string) => p.slice(f.root.length + 1);
    expect(planned.trash.map((t) => rel(t.path))).toEqual(
      expect.arrayContaining(['data/signals/history/date=2023-01-05', 'reports/optimize/run-old']),
    );
    expect(planned.purge.map((p) => rel(p.path))).toEqual(['data/.trash/2024-09-01T000000Z']);
    // With the shipped windows, the 2024 store is inside its guard: the old pair's features stay.
    expect(planned.trash.some((t) => rel(t.path).startsWith('data/canonical/'))).toBe(false);
    expect(planned.kept.map((k) => rel(k.path))).toContain('data/features/4h/EURUSD_GBPUSD');
    for (const t of planned.trash) expect(existsSync(t.path)).toBe(true);

    const applied = runPt([...args, '--json'], env, f.root);
    expect(applied.code).toBe(0);
    const done = JSON.parse(applied.stdout) as JsonOut;
    expect(done.trash.map((t) => t.path)).toEqual(planned.trash.map((t) => t.path));
    expect(done.purge).toEqual(planned.purge);
    expect(done.list_sha256).toBe(planned.list_sha256);
    for (const t of done.trash) {
      expect(existsSync(t.path)).toBe(false);
      expect(existsSync(t.to)).toBe(true);
    }
    const audit = readFileSync(join(f.root, 'data', 'ops', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!)).toMatchObject({ action: 'retention.apply', list_sha256: planned.list_sha256 });

    const again = runPt(args, env, f.root);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^canonical: 0 to trash$/m);
    expect(again.stdout).toMatch(/^not stored: raw payloads/m);
    expect(again.stdout).toMatch(/^nothing is due: /m);
  });
});
