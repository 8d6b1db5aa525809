// Bar checksums of many bars at once on a worker thread, so hashing a file's bars runs beside the main thread's work.
import { Worker } from 'node:worker_threads';
import { barChecksum } from './barChecksum.js';

/** Columns of the bars to hash; a NaN volume is a null one. */
export interface ChecksumColumns {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/**
 * The worker computes exactly `barChecksum` (the same text `ts|open|high|low|close|volume` with
 * JavaScript's number form and an empty volume for null, the first 16 hex of its SHA-256): a test
 * compares the two on real files. It is source text, so it runs the same from `src/` and `dist/`.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { hash } = require('node:crypto');
parentPort.on('message', (m) => {
  const { id, ts, open, high, low, close, volume } = m;
  let out = '';
  for (let i = 0; i < ts.length; i++) {
    const v = volume[i];
    out += hash('sha256', ts[i] + '|' + open[i] + '|' + high[i] + '|' + low[i] + '|' + close[i] + '|' + (v !== v ? '' : v), 'hex').slice(0, 16);
  }
  parentPort.postMessage({ id, hex: out });
});
`;

/** The first 16 hex of each bar's checksum, concatenated (bar i at 16·i), computed here. */
export function checksumsHex(c: ChecksumColumns): string {
  let out = '';
  for (let i = 0; i < c.ts.length; i++) {
    const v = c.volume[i]!;
    out += barChecksum(c.ts[i]!, c.open[i]!, c.high[i]!, c.low[i]!, c.close[i]!, Number.isNaN(v) ? null : v);
  }
  return out;
}

let worker: Worker | undefined;
let broken = false;
let nextId = 0;
const waiting = new Map<number, { resolve: (hex: string) => void; columns: ChecksumColumns }>();

function failAll(): void {
  broken = true;
  worker = undefined;
  // Whatever was asked of the worker is computed here instead: the result is the same.
  for (const [id, w] of waiting) {
    waiting.delete(id);
    w.resolve(checksumsHex(w.columns));
  }
}

function theWorker(): Worker | undefined {
  if (broken) return undefined;
  if (worker) return worker;
  try {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    // An idle worker must not keep the process alive.
    w.unref();
    w.on('message', (m: { id: number; hex: string }) => {
      const job = waiting.get(m.id);
      if (!job) return;
      waiting.delete(m.id);
      job.resolve(m.hex);
      if (waiting.size === 0) w.unref();
    });
    w.on('error', failAll);
    w.on('exit', failAll);
    worker = w;
    return w;
  } catch {
    broken = true;
    return undefined;
  }
}

/**
 * `checksumsHex` on the worker thread (started on first use). If the worker cannot start or dies,
 * the checksums are computed on this thread: the result never depends on where it was computed.
 */
export function checksumsHexOnWorker(columns: ChecksumColumns): Promise<string> {
  const w = theWorker();
  if (!w) return Promise.resolve(checksumsHex(columns));
  return new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, { resolve, columns });
    // Keep the process alive while an answer is due.
    w.ref();
    const { ts, open, high, low, close, volume } = columns;
    w.postMessage({ id, ts, open, high, low, close, volume });
  });
}
