// The bodies the receivers get: a Slack incoming-webhook message and a PagerDuty Events API v2
// trigger. Text comes from slack_policy message_templates; `{name}` is filled from the record
// (severity, error_id, source, message, event_id, occurred_at) and then its details; unknown → `-`,
// a number that is not finite (an undefined KPI) → `n/a`. In Slack's text the filled-in values are
// escaped (mrkdwn reads `<…>` as a link or a mention); the template's own text is pt's and kept.
import type { AlertRecord } from '../ports/alerts.js';

/** Slack's "Escaping text": `&`, `<` and `>` as entities, so data never turns into a link, a mention or `<!here>`. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function placeholderText(v: unknown): string {
  if (v === undefined || v === null) return '-';
  if (typeof v === 'number' && !Number.isFinite(v)) return 'n/a';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** `escape` applies to each filled-in value, not to the template. */
export function fillTemplate(
  template: string,
  record: AlertRecord,
  escape: (text: string) => string = (t) => t,
): string {
  const top: Record<string, unknown> = {
    severity: record.severity,
    error_id: record.error_id,
    source: record.source,
    message: record.message,
    event_id: record.event_id,
    occurred_at: record.occurred_at,
  };
  return template.replace(/\{([a-z_][a-z0-9_]*)\}/gi, (_, name: string) => {
    return escape(placeholderText(name in top ? top[name] : record.details[name]));
  });
}

export interface SlackMessage {
  channel: string;
  text: string;
}

export function slackMessage(record: AlertRecord, channel: string, template: string): SlackMessage {
  return { channel, text: fillTemplate(template, record, escapeSlack) };
}

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  payload: {
    summary: string;
    source: string;
    severity: 'critical';
    timestamp: string;
    custom_details: Record<string, unknown>;
  };
}

/** PagerDuty's summary is at most 1024 characters. */
const SUMMARY_MAX = 1024;

/** `dedupKey` groups PagerDuty's incidents the way suppression groups raises: `<error_id>:<key>`. */
export function pagerDutyEvent(
  record: AlertRecord,
  routingKey: string,
  dedupKey: string,
  text: string,
): PagerDutyEvent {
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text,
      source: record.source,
      severity: 'critical',
      timestamp: record.occurred_at,
      custom_details: { error_id: record.error_id, event_id: record.event_id, ...record.details },
    },
  };
}
