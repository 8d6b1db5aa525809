// The alert dispatcher of a command, from slack_policy and the environment: Slack when the variable
// webhook_url_ref names is set, PagerDuty (CRITICAL) when pagerduty_key_ref's is set (endpoint
// PAGERDUTY_EVENTS_URL, else PagerDuty's), records in `<ops_dir>/alerts.jsonl` and, with REDIS_URL,
// `<prefix>:alerts`. Nothing set: alerts are only logged and recorded. The URL and key are never logged.
// A URL variable that is not an http(s) URL turns its channel off with one warning naming the variable.
import { join } from 'node:path';
import { pagerDutyEvents, PAGERDUTY_EVENTS_URL } from '../adapters/http/pagerDutyEvents.js';
import { slackWebhook } from '../adapters/http/slackWebhook.js';
import { RedisAlertList } from '../adapters/redis/redisAlertList.js';
import { AlertDispatcher, type AlertLog, type UndeliveredAlert } from '../alerts/alertDispatcher.js';
import { FileSuppression, MemorySuppression } from '../alerts/alertSuppression.js';
import { ALERTS_FILE, JsonlAlertStore } from '../alerts/jsonlAlertStore.js';
import type { PtConfig } from '../config/schemas/index.js';
import type { AlertRecordStore } from '../ports/alerts.js';

/** The suppression state shared by short-lived commands (cron) in ops_dir. */
export const SUPPRESSION_FILE = 'alerts_suppression.json';

/** `ENV:NAME` → NAME; anything else (VAULT:…) → undefined. */
function envRefName(ref: string): string | undefined {
  return /^ENV:([A-Za-z_][A-Za-z0-9_]*)$/.exec(ref)?.[1];
}

/** `ENV:NAME` → the variable's value; anything else (VAULT:…, unset) → undefined. */
export function envRef(ref: string, env: NodeJS.ProcessEnv): string | undefined {
  const name = envRefName(ref);
  const v = name !== undefined ? env[name] : undefined;
  return v === undefined || v === '' ? undefined : v;
}

/** An absolute http(s) URL with a host and no credentials (fetch refuses those): what a receiver needs. */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** What the alerts tell the user besides the alerts: a channel turned off, a delivery that failed. */
export interface AlertWarning {
  id: 'OPS_ALERT_CONFIG' | 'OPS_ALERT_UNSENT';
  /** One line; names variables, never their values. */
  message: string;
  details: Record<string, unknown>;
}

/** The line of a failed delivery: channel, alert and reason (a status, an errno code, the timeout). */
export function undeliveredWarning(u: UndeliveredAlert): AlertWarning {
  return {
    id: 'OPS_ALERT_UNSENT',
    message: `${u.channel} did not deliver alert ${u.errorId} (event ${u.eventId}): ${u.why}`,
    details: { channel: u.channel, error_id: u.errorId, event_id: u.eventId, outcome: u.outcome, why: u.why },
  };
}

export interface OpenAlertsOptions {
  /** Where alerts.jsonl (and a short-lived command's suppression file) go. */
  opsDir: string;
  log?: AlertLog;
  /** A long-lived process (pt live) keeps suppression in memory; commands share the file. */
  longLived?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * Where warnings go (a one-shot command prints them whatever LOG_LEVEL says). Without it a channel
   * turned off is a warn line on `log` (`alerts_config_invalid`), a failed delivery the dispatcher's.
   */
  onWarning?: (w: AlertWarning) => void;
}

export async function openAlerts(config: PtConfig, o: OpenAlertsOptions): Promise<AlertDispatcher> {
  const env = o.env ?? process.env;
  const sp = config.slack_policy;
  const warn =
    o.onWarning ??
    ((w: AlertWarning) =>
      o.log?.warn({ event: 'alerts_config_invalid', error_id: w.id, message: w.message, details: w.details }));
  // A malformed URL would fail every delivery of the run: say so once, now, and keep the channel off.
  const checked = (variable: string, value: string | undefined, channel: string): string | undefined => {
    if (value === undefined || isHttpUrl(value)) return value;
    warn({
      id: 'OPS_ALERT_CONFIG',
      message: `${variable} is not an http(s) URL: ${channel} alerts are off for this run`,
      details: { variable, channel },
    });
    return undefined;
  };
  const slackUrl = checked(
    envRefName(sp.webhook_url_ref) ?? 'the webhook URL',
    envRef(sp.webhook_url_ref, env),
    'Slack',
  );
  const pdEvents = checked('PAGERDUTY_EVENTS_URL', env.PAGERDUTY_EVENTS_URL || undefined, 'PagerDuty');
  // A bad endpoint turns PagerDuty off; it never falls back to paging PagerDuty's own endpoint unasked.
  const pdOff = Boolean(env.PAGERDUTY_EVENTS_URL) && pdEvents === undefined;
  const pdKey = pdOff ? undefined : envRef(sp.pagerduty_key_ref, env);
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
              channel: pagerDutyEvents(pdEvents ?? PAGERDUTY_EVENTS_URL),
              routingKey: pdKey,
            },
          }
        : {}),
      stores,
      suppression,
      ...(o.log ? { log: o.log } : {}),
      ...(o.onWarning ? { onUndelivered: (u: UndeliveredAlert) => o.onWarning!(undeliveredWarning(u)) } : {}),
    },
  );
}

/** How long a short-lived command waits for its alerts before it exits. */
export const ALERT_FLUSH_MS = 8000;
