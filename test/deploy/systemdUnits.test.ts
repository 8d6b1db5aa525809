// deploy/: the systemd units pass `systemd-analyze verify` with nothing on stderr, and the cron line
// is a valid five-field entry that runs pt ingest under flock.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/runPt.js';
import { isCi } from '../helpers/services.js';

const UNIT_DIR = join(repoRoot, 'deploy/systemd');
const CRON_FILE = join(repoRoot, 'deploy/cron/pt-ingest.cron');
const ALERTS_CRON_FILE = join(repoRoot, 'deploy/cron/pt-alerts.cron');
const INSTALL_DIR = '/opt/pt/';

function hasSystemdAnalyze(): boolean {
  const found = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!found && isCi) throw new Error('systemd-analyze is missing, and CI=true requires it (Debian package systemd)');
  if (!found) console.warn('[skip] systemd-analyze is missing (Debian package systemd)');
  return found;
}
const analyze = hasSystemdAnalyze();

const work = mkdtempSync(join(tmpdir(), 'pt-units-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The units as shipped name the install folder /opt/pt/, which does not exist here, and verify
 * fails on an ExecStart that is not executable. The copy points /opt/pt/ at this checkout, whose
 * layout is the install's (a clone after npm ci): so verify also proves that the wrapper and
 * node_modules/.bin/pt are where the units say, and executable. Other paths (WorkingDirectory,
 * EnvironmentFile, ReadWritePaths, User) are only checked when the unit starts, not by verify.
 */
function installedCopy(dir: string, extra: (text: string) => string = (t) => t): void {
  for (const name of readdirSync(UNIT_DIR)) {
    const text = readFileSync(join(UNIT_DIR, name), 'utf8').replaceAll(INSTALL_DIR, repoRoot);
    writeFileSync(join(dir, name), extra(text));
  }
}

/** `systemd-analyze verify ./<name>`; for `pt-live@0.service` systemd finds `pt-live@.service` in the same folder and instantiates it. */
function verify(dir: string, name: string): { code: number | null; stderr: string } {
  const r = spawnSync('systemd-analyze', ['verify', `./${name}`], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

function unitKeys(name: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const line of readFileSync(join(UNIT_DIR, name), 'utf8').split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) keys.set(m[1]!, [...(keys.get(m[1]!) ?? []), m[2]!]);
  }
  return keys;
}

describe('systemd units', () => {
  const dir = join(work, 'units');
  mkdirSync(dir);
  installedCopy(dir);

  // systemd-analyze verify exits 0 on unknown keys and bad values it ignores, so stderr must be empty too.
  it.each([
    'pt-live@0.service',
    'pt-live@7.service',
    'pt-live@.service',
    'pt-ingest.service',
    'pt-ingest.timer',
    'pt-sync@0.service',
  ])('%s verifies with exit 0 and an empty stderr', (name) => {
    if (!analyze) return;
    const r = verify(dir, name);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the check catches what verify only warns about, and a missing ExecStart binary', () => {
    if (!analyze) return;
    const bad = join(work, 'bad');
    mkdirSync(bad);
    installedCopy(bad, (t) => t.replace('NoNewPrivileges=yes', 'NoNewPrivileges=yes\nProtectSytem=strict'));
    const typo = verify(bad, 'pt-live@0.service');
    expect(typo.code).toBe(0);
    expect(typo.stderr).toMatch(/Unknown key 'ProtectSytem'/);
    // An install folder that is not there (the shipped /opt/pt/ might exist on some machine).
    const absent = readFileSync(join(UNIT_DIR, 'pt-ingest.service'), 'utf8').replaceAll(INSTALL_DIR, `${work}/absent/`);
    writeFileSync(join(bad, 'pt-ingest.service'), absent);
    const missing = verify(bad, 'pt-ingest.service');
    expect(missing.stderr).toMatch(/node_modules\/\.bin\/pt is not executable/);
    expect(missing.code).not.toBe(0);
  });

  it('pt-live@.service: one shard per instance, restarts, secrets only in the env file, hardened', () => {
    const k = unitKeys('pt-live@.service');
    expect(k.get('ExecStart')).toEqual(['/opt/pt/deploy/bin/pt-live-watchdog.sh %i']);
    expect(k.get('Restart')).toEqual(['always']);
    expect(k.get('RestartSec')).toHaveLength(1);
    expect(k.get('EnvironmentFile')).toEqual(['/etc/pt/pt.env']);
    expect(k.has('Environment')).toBe(false);
    expect(k.get('User')).toEqual(['pt']);
    expect(k.get('Type')).toEqual(['notify']);
    expect(k.get('NotifyAccess')).toEqual(['all']);
    expect(k.get('ExecReload')).toEqual(['/bin/kill -HUP $MAINPID']);
    expect(k.get('KillMode')).toEqual(['mixed']);
    for (const [key, value] of [
      ['ProtectSystem', 'strict'],
      ['NoNewPrivileges', 'yes'],
      ['PrivateTmp', 'yes'],
      ['ProtectHome', 'yes'],
      ['ReadWritePaths', '/var/lib/pt/data'],
    ])
      expect(k.get(key!), key).toEqual([value]);
  });

  it('pt-ingest.timer: hourly a few minutes after the hour, catching up missed runs', () => {
    const k = unitKeys('pt-ingest.timer');
    expect(k.get('OnCalendar')).toEqual(['*-*-* *:05:00']);
    expect(k.get('Persistent')).toEqual(['true']);
    expect(k.get('Unit')).toEqual(['pt-ingest.service']);
  });
});

/** One crontab field: `*`, numbers, ranges, lists and steps within [min, max]. */
function cronFieldOk(field: string, min: number, max: number): boolean {
  return field.split(',').every((part) => {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return false;
    const [, , lo, hi, step] = m;
    const inRange = (v: string | undefined) => v === undefined || (Number(v) >= min && Number(v) <= max);
    return (
      inRange(lo) && inRange(hi) && (lo === undefined || hi === undefined || Number(lo) <= Number(hi)) && step !== '0'
    );
  });
}

describe('cron alternative', () => {
  const lines = readFileSync(CRON_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const entries = lines.filter((l) => !/^[A-Z_]+=/.test(l));

  it('the field check rejects what cron rejects', () => {
    expect(cronFieldOk('5', 0, 59)).toBe(true);
    expect(cronFieldOk('*/15', 0, 59)).toBe(true);
    expect(cronFieldOk('1-5,0', 0, 6)).toBe(true);
    expect(cronFieldOk('60', 0, 59)).toBe(false);
    expect(cronFieldOk('5-1', 0, 59)).toBe(false);
    expect(cronFieldOk('*/0', 0, 59)).toBe(false);
    expect(cronFieldOk('x', 0, 59)).toBe(false);
  });

  it('one entry: five valid fields and a command that runs pt ingest under flock', () => {
    expect(entries).toHaveLength(1);
    const fields = entries[0]!.split(/\s+/);
    const [minute, hour, dom, month, dow] = fields;
    expect(cronFieldOk(minute!, 0, 59)).toBe(true);
    expect(minute).not.toBe('*');
    expect(cronFieldOk(hour!, 0, 23)).toBe(true);
    expect(cronFieldOk(dom!, 1, 31)).toBe(true);
    expect(cronFieldOk(month!, 1, 12)).toBe(true);
    expect(cronFieldOk(dow!, 0, 7)).toBe(true);
    const command = fields.slice(5).join(' ');
    expect(command).toMatch(/\bflock -n \S+ /);
    expect(command).toMatch(/pt ingest --source twelvedata /);
    // cron turns an unescaped % into a line break.
    expect(command).not.toContain('%');
    // The command is valid sh, as cron hands it to SHELL=/bin/sh.
    const sh = spawnSync('sh', ['-n', '-c', command], { encoding: 'utf8' });
    expect(sh.stderr).toBe('');
    expect(sh.status).toBe(0);
  });
});

describe('cron heartbeat check', () => {
  const entries = readFileSync(ALERTS_CRON_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#') && !/^[A-Z_]+=/.test(l));

  it('one entry: every minute, pt ops status --alert under flock, valid sh', () => {
    expect(entries).toHaveLength(1);
    const fields = entries[0]!.split(/\s+/);
    expect(fields.slice(0, 5)).toEqual(['*', '*', '*', '*', '*']);
    const command = fields.slice(5).join(' ');
    expect(command).toMatch(/\bflock -n \S+ /);
    expect(command).toMatch(/pt ops status --alert\b/);
    expect(command).not.toContain('%');
    const sh = spawnSync('sh', ['-n', '-c', command], { encoding: 'utf8' });
    expect(sh.stderr).toBe('');
    expect(sh.status).toBe(0);
  });
});
