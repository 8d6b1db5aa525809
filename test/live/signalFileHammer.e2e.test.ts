// A reader process hammering signal.json while pt writes it 10,000 times never sees a torn or
// schema-invalid file, nor an older seq after a newer one. A control writer that overwrites in place
// shows that the same reader does catch torn files. E2e tier: 10,000 fsynced writes take 25-70 s, with the
// machine's load.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { nextSeq } from '../../src/live/signal/nextSeq.js';
import type { SignalFile } from '../../src/live/signal/signalTypes.js';
import { writeSignalFile } from '../../src/live/signal/writeSignalFile.js';
import { KernelDriver, SHARD0, shardFile } from './signalFixtures.js';

const readerScript = fileURLToPath(new URL('../helpers/signalReaderChild.mjs', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface ReaderReport {
  reads: number;
  distinctSeqs: number;
  lastSeq: number;
  failureCount: number;
  failures: string[];
}

/** Starts the reader; `stop()` makes it finish and resolves with its report. */
async function startReader(path: string, stopFile: string): Promise<{ stop: () => Promise<ReaderReport> }> {
  const c = spawn(process.execPath, [readerScript, path, stopFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(c);
  let out = '';
  const exited = new Promise<number | null>((r) => c.on('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    c.on('error', reject);
    c.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n')) resolve();
    });
  });
  return {
    stop: async () => {
      writeFileSync(stopFile, '');
      expect(await exited).toBe(0);
      return JSON.parse(out.slice('ready\n'.length)) as ReaderReport;
    },
  };
}

/** Files of shard 0 over repeated open/hold/close cycles: their length changes from write to write. */
function* files(count: number): Generator<SignalFile> {
  const drivers = SHARD0.map((id) => new KernelDriver(id));
  let seq: number | undefined;
  for (let i = 0; i < count; i++) {
    seq = nextSeq(seq, Date.now());
    const f = shardFile(drivers, i, seq);
    // A reason of varying length, so a torn read cannot happen to be a whole older file.
    f.signals[i % f.signals.length]!.reason += 'x'.repeat(i % 97);
    yield f;
  }
}

describe('signal.json under a hammering reader', () => {
  it('10,000 writes: the reader sees only whole, schema-valid files with seq never going back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-hammer-'));
    dirs.push(dir);
    const path = join(dir, 'shard_0', 'signal.json');
    const reader = await startReader(path, join(dir, 'stop'));
    let last: SignalFile | undefined;
    const t0 = performance.now();
    for (const f of files(10_000)) {
      await writeSignalFile(path, f);
      last = f;
    }
    const seconds = (performance.now() - t0) / 1000;
    const report = await reader.stop();
    expect(report.failures).toEqual([]);
    expect(report.failureCount).toBe(0);
    expect(report.lastSeq).toBe(last!.seq);
    // The reader overlapped the writes, not only their end.
    expect(report.reads).toBeGreaterThan(10_000);
    expect(report.distinctSeqs).toBeGreaterThan(1_000);
    console.log(
      `10,000 writes in ${seconds.toFixed(1)} s; reader: ${report.reads} reads, ${report.distinctSeqs} seqs seen`,
    );
  }, 170_000);

  it('control: the same reader catches torn files of a writer that overwrites in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-hammer-'));
    dirs.push(dir);
    const path = join(dir, 'signal.json');
    const reader = await startReader(path, join(dir, 'stop'));
    for (const f of files(2_000)) writeFileSync(path, JSON.stringify(f));
    const report = await reader.stop();
    expect(report.failureCount).toBeGreaterThan(0);
  }, 60_000);
});
