// The alert dispatcher of a command, from slack_policy and the environment: Slack when the variable
// webhook_url_ref names is set, PagerDuty (CRITICAL) when pagerduty_key_ref's is set (endpoint
// PAGERDUTY_EVENTS_URL, else PagerDuty's), records in `<ops_dir>/alerts.jsonl` and, with REDIS_URL,
// `<prefix>:alerts`. Nothing set: alerts are only logged and recorded. The URL and key are never logged.
import { join } from 'node:path';
import { pagerDutyEvents, PAGERDUTY_EVENTS_URL } from '../adapters/http/pagerDutyEvents.js';
import { slackWebhook } from '../adapters/http/slackWebhook.js';
import { RedisAlertList } from '../adapters/redis/redisAlertList.js';
import { AlertDispatcher, type AlertLog } from '../alerts/alertDispatcher.js';
import { FileSuppression, MemorySuppression } from '../alerts/alertSuppression.js';
import { ALERTS_FILE, JsonlAlertStore } from '../alerts/jsonlAlertStore.js';
import type { PtConfig } from '../config/schemas/index.js';
import type { AlertRecordStore } from '../ports/alerts.js';

/** The suppression state shared by short-lived commands (cron) in ops_dir. */
export const SUPPRESSION_FILE = 'alerts_suppression.json';

/** `ENV:NAME` → the variable's value; anything else (VAULT:…, unset) → undefined. */
export function envRef(ref: string, env: NodeJS.ProcessEnv): string | undefined {
  const m = /^ENV:([A-Za-z_][A-Za-z0-9_]*)$/.exec(ref);
  const v = m ? env[m[1]!] : undefined;
  return v === undefined || v === '' ? undefined : v;
}

export interface OpenAlertsOptions {
  /** Where alerts.jsonl (and a short-lived command's suppression file) go. */
  opsDir: string;
  log?: AlertLog;
  /** A long-lived process (pt live) keeps suppression in memory; commands share the file. */
  longLived?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function openAlerts(config: PtConfig, o: OpenAlertsOptions): Promise<AlertDispatcher> {
  const env = o.env ?? process.env;
  const sp = config.slack_policy;
  const slackUrl = envRef(sp.webhook_url_ref, env);
  const pdKey = envRef(sp.pagerduty_key_ref, env);
  const stores: AlertRecordStore[] = [new JsonlAlertStore(join(o.opsDir, ALERTS_FILE))];
  if (env.REDIS_URL) {
    const list = new RedisAlertList(env.REDIS_URL, config.signals_policy.redis_key_prefix);
    // A command records right away: give the first connection a moment (a shard does not wait).
    if (!o.longLived) await list.ready(1000);
    stores.push(list);
  }
  const suppression = o.longLived
    ? new MemorySuppression()
    : await FileSuppression.load(join(o.opsDir, SUPPRESSION_FILE));
  o.log?.info({
    event: 'alerts_open',
    details: { slack: slackUrl !== undefined, pagerduty: pdKey !== undefined, stores: stores.map((s) => s.name) },
  });
  return new AlertDispatcher(
    {
      channels: sp.channels,
      templates: sp.message_templates,
      suppressionMs: sp.suppression_minutes * 60_000,
    },
    {
      ...(slackUrl ? { slack: slackWebhook(slackUrl) } : {}),
      ...(pdKey
        ? {
            pagerDuty: {
              channel: pagerDutyEvents(env.PAGERDUTY_EVENTS_URL || PAGERDUTY_EVENTS_URL),
              routingKey: pdKey,
            },
          }
        : {}),
      stores,
      suppression,
      ...(o.log ? { log: o.log } : {}),
    },
  );
}

/** How long a short-lived command waits for its alerts before it exits. */
export const ALERT_FLUSH_MS = 8000;
