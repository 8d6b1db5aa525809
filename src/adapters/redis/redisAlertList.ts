// `<prefix>:alerts` on Redis: the newest accepted alerts first (LPUSH, then LTRIM to 200), the same
// JSON as alerts.jsonl, for pt monitor. Never waited for: no offline queue (a command while Redis is
// away fails at once, the file keeps the record), reconnects in the background with backoff.
import { Redis } from 'ioredis';
import type { AlertRecord, AlertRecordStore } from '../../ports/alerts.js';

/** Entries kept in the list. */
export const ALERT_LIST_MAX = 200;

export class RedisAlertList implements AlertRecordStore {
  readonly name = 'redis';
  readonly key: string;
  private readonly client: Redis;

  constructor(url: string, prefix: string, timeoutMs = 2000) {
    this.key = `${prefix}:alerts`;
    this.client = new Redis(url, {
      lazyConnect: false,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * 500, 5000),
    });
    this.client.on('error', () => {
      /* surfaced through the failing command */
    });
  }

  /** Waits (at most `timeoutMs`) for the first connection, so a short-lived command's first record is not refused. */
  async ready(timeoutMs = 2000): Promise<boolean> {
    if (this.client.status === 'ready') return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.client.once('ready', onReady);
    });
  }

  async append(record: AlertRecord): Promise<void> {
    await this.client
      .multi()
      .lpush(this.key, JSON.stringify(record))
      .ltrim(this.key, 0, ALERT_LIST_MAX - 1)
      .exec();
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
