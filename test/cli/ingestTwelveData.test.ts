// pt ingest --source twelvedata as a user runs it (issue 13, probe #89, #90): a missing key stops
// at start-up once, and a source that keeps failing prints one line per retry before the run fails.
// A real HTTP server on 127.0.0.1 answers 503; the retry waits are cut to milliseconds in the config.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayLimitReply, MockTwelveData } from '../helpers/mockTwelveData.js';
import { repoRoot, runPtAsync } from '../helpers/runPt.js';

const KEY = 'td-cli-test-key-0a1b2c3d';
let mock: MockTwelveData;
let dir = '';

/** The repository config with twelvedata at `baseUrl`, 3 retries and millisecond backoff. */
function configFor(baseUrl: string): string {
  const config = mkdtempSync(join(dir, 'config-'));
  cpSync(join(repoRoot, 'config'), config, { recursive: true });
  const edit = (file: string, from: RegExp, to: string) => {
    const path = join(config, file);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(from);
    writeFileSync(path, text.replace(from, to));
  };
  edit('sources.yaml', /base_url: "https:\/\/api\.twelvedata\.com"/, `base_url: "${baseUrl}"`);
  edit('pipeline_policy.yaml', /retry_max: \{ value: \d+,/, 'retry_max: { value: 3,');
  edit(
    'pipeline_policy.yaml',
    /retry_backoff_base_seconds: \{ value: [\d.]+,/,
    'retry_backoff_base_seconds: { value: 0.01,',
  );
  edit(
    'pipeline_policy.yaml',
    /retry_backoff_max_seconds: \{ value: [\d.]+,/,
    'retry_backoff_max_seconds: { value: 0.05,',
  );
  return config;
}

const ptAsync = (args: string[], env: NodeJS.ProcessEnv) => runPtAsync(args, { env, cwd: dir });

/** A local port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const ingest = (config: string, dataDir: string, symbols: string) => [
  ...['-c', config, 'ingest', '--source', 'twelvedata', '--symbols', symbols, '--timeframe', '1h'],
  ...['--from', '2024-01-01', '--to', '2024-01-03', '--data-dir', dataDir],
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pt-cli-td-'));
  mock = await MockTwelveData.start(KEY);
});
afterAll(async () => {
  await mock.close();
});

describe('pt ingest --source twelvedata', () => {
  it('without TWELVEDATA_API_KEY stops at start-up with one CORE_ENV_MISSING line (not DATA_API_EXHAUSTED per symbol)', async () => {
    const data = join(dir, 'nokey');
    const r = await ptAsync(ingest(configFor(mock.baseUrl), data, 'XAUUSD,XAGUSD,EURUSD'), { TWELVEDATA_API_KEY: '' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'ERROR CORE_ENV_MISSING: TWELVEDATA_API_KEY is not set (sources.yaml twelvedata.api_key_ref = ENV:TWELVEDATA_API_KEY); export it before using the twelvedata source',
    );
    expect(mock.timeSeriesRequests()).toHaveLength(0);
    expect(existsSync(data)).toBe(false);
  });

  it('a server answering 503 gets one stderr line per retry, then the run fails after its retry budget', async () => {
    mock.requests.length = 0;
    mock.respond(() => ({ status: 503, body: 'Service Unavailable' }));
    const r = await ptAsync(ingest(configFor(mock.baseUrl), join(dir, 'd503'), 'XAUUSD,XAGUSD'), {
      TWELVEDATA_API_KEY: KEY,
    });
    mock.respond(undefined);
    expect(r.code).toBe(1);
    const retries = r.stderr.split('\n').filter((l) => l.startsWith('twelvedata '));
    for (const symbol of ['XAUUSD', 'XAGUSD'])
      expect(retries.filter((l) => l.startsWith(`twelvedata ${symbol}:`))).toEqual(
        [1, 2, 3].map((a) =>
          expect.stringMatching(
            new RegExp(
              `^twelvedata ${symbol}: attempt ${a}/4 failed \\(HTTP 503 — Service Unavailable\\); retrying in \\d+ ms$`,
            ),
          ),
        ),
      );
    // One line per retry: the JSON log line of it is detail, not a second warning.
    expect(r.stderr).not.toContain('"api_retry"');
    // 4 attempts per symbol, none carrying the key in its URL, and no line printing it
    expect(mock.timeSeriesRequests()).toHaveLength(8);
    expect(r.stderr + r.stdout).not.toContain(KEY);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(
      /^ERROR DATA_API_EXHAUSTED: 2 of 2 symbols failed \(XAUUSD, XAGUSD\)\. First: .*HTTP 503/,
    );
  });

  it('no server at all (connection refused) is a network error with the same retry lines', async () => {
    const r = await ptAsync(ingest(configFor(`http://127.0.0.1:${await closedPort()}`), join(dir, 'dnone'), 'XAUUSD'), {
      TWELVEDATA_API_KEY: KEY,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^twelvedata XAUUSD: attempt 1\/4 failed \(network error: .*ECONNREFUSED.*\); retrying in \d+ ms$/m,
    );
    expect(r.stderr).toMatch(/^twelvedata XAUUSD: attempt 3\/4 failed/m);
    expect(r.stderr).not.toMatch(/attempt 4\/4/);
  });

  it('weekend bars and an inconsistent bar are dropped and printed as source counts; a 400 no-data page is empty', async () => {
    mock.requests.length = 0;
    mock.badBars.add(Date.UTC(2024, 2, 11, 10));
    mock.noDataStatus = 400;
    const config = configFor(mock.baseUrl);
    const args = [
      ...['-c', config, 'ingest', '--source', 'twelvedata', '--symbols', 'XAUUSD', '--timeframe', '1h'],
      ...['--from', '2024-03-08', '--to', '2024-03-12', '--data-dir', join(dir, 'dweekend')],
    ];
    const r = await ptAsync(args, { TWELVEDATA_API_KEY: KEY });
    mock.badBars.clear();
    expect(r.code, r.stderr).toBe(0);
    // 96 hourly slots served: 47 inside the weekly close (Fri 22:00 EST → Sun 21:00 UTC, EDT from 03-10), one bad.
    expect(r.stdout).toMatch(
      /^XAUUSD 1h: 48 rows fetched, 48 new, .*; source: droppedInvalid 1, droppedWeeklyClose 47$/m,
    );
    // A later range with nothing in it: HTTP 400 "No data is available" is 0 rows, exit 0.
    mock.series = { ...mock.series, isClosed: () => true };
    const empty = await ptAsync(
      [
        ...['-c', config, 'ingest', '--source', 'twelvedata', '--symbols', 'XAUUSD', '--timeframe', '1h'],
        ...['--from', '2024-04-01', '--to', '2024-04-02', '--data-dir', join(dir, 'dempty')],
      ],
      { TWELVEDATA_API_KEY: KEY },
    );
    mock.series = { price: mock.series.price };
    mock.noDataStatus = 200;
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toMatch(/^XAUUSD 1h: 0 rows fetched/m);
  });

  it('a per-day 429 stops at once: one request, no retries, DATA_API_QUOTA for every symbol', async () => {
    mock.requests.length = 0;
    mock.enqueue(dayLimitReply(800));
    const r = await ptAsync(ingest(configFor(mock.baseUrl), join(dir, 'dday'), 'XAUUSD,XAGUSD'), {
      TWELVEDATA_API_KEY: KEY,
    });
    expect(r.code).toBe(1);
    expect(mock.timeSeriesRequests()).toHaveLength(1);
    expect(r.stderr).not.toMatch(/attempt \d\/\d failed/);
    expect(r.stdout + r.stderr).toContain('DATA_API_QUOTA twelvedata daily API credits are spent');
    expect(r.stdout + r.stderr).toContain('they reset at the start of the next UTC day');
  });
});
