import { describe, expect, it } from 'vitest';
import { runPt } from '../helpers/runPt.js';
import { COMMANDS } from '../../src/cli/commandTable.js';

describe('pt CLI', () => {
  it('prints help listing every subcommand and exits 0 within a second', () => {
    const r = runPt(['--help']);
    expect(r.code).toBe(0);
    for (const name of [
      'ingest',
      'dq',
      'features',
      'label',
      'cv',
      'train',
      'optimize',
      'bt',
      'live',
      'ops',
      'monitor',
      'config',
      'quickstart',
    ]) {
      expect(r.stdout).toContain(name);
    }
  });

  it('has every subcommand DEVELOPERS.md names, each with an example in its help', () => {
    const paths = COMMANDS.map((c) => c.path.join(' '));
    for (const p of [
      'ingest',
      'dq',
      'features',
      'label',
      'cv',
      'train',
      'optimize',
      'bt run',
      'live',
      'monitor',
      'config validate',
      'quickstart',
      'ops halt',
      'ops flatten',
      'ops resume',
      'ops rollback',
      'ops status',
    ]) {
      expect(paths).toContain(p);
    }
    for (const spec of COMMANDS) expect(spec.examples.length).toBeGreaterThan(0);
    const help = runPt(['bt', 'run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Example');
    expect(help.stdout).toContain('pt bt run --pairs');
  });

  it('every command of the table is built (CORE_CLI_NOTIMPL is only for a command listed before it is)', () => {
    expect(COMMANDS.filter((spec) => spec.load === undefined).map((spec) => spec.path.join(' '))).toEqual([]);
  });

  it('bad arguments give one ERROR CORE_CLI_USAGE line and exit 2', () => {
    const r = runPt(['live']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^ERROR CORE_CLI_USAGE: required option '--shard <n>'/);
  });

  it('shows a stack trace only under LOG_LEVEL=DEBUG', () => {
    const plain = runPt(['config', 'validate', '--dir', '/nonexistent/pt-config']);
    expect(plain.code).toBe(1);
    expect(plain.stderr.trim()).toBe('ERROR CORE_CONFIG_MISSING: config directory not found: /nonexistent/pt-config');
    const debug = runPt(['config', 'validate', '--dir', '/nonexistent/pt-config'], { LOG_LEVEL: 'DEBUG' });
    expect(debug.stderr).toContain('ERROR CORE_CONFIG_MISSING');
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
